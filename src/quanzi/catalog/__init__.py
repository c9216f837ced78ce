"""Suppliers, products, SKUs, stock and search."""
