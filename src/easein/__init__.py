"""EaseIn: a private, safety-first companion for progressive anal training."""

__version__ = "0.1.0"
