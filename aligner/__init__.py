"""aligner: Chinese–English parallel-text alignment."""

__version__ = "0.1.0"
