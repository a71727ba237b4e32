"""Tests of the offline OpenRouter simulator."""
