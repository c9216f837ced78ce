"""quanzi (圈子): a social-commerce engine whose sales travel along relationship chains."""

__version__ = "0.1.0"
