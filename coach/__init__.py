"""coach: a conversational negotiation coach for US medical bills."""

__version__ = "0.1.0"
