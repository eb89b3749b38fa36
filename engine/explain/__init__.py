"""Decisions in words: the contract's JSON, text in Chinese or English, recorded decisions."""

from .text import assessment_json, criterion_explanation, decision_summary, render_recorded, render_text

__all__ = ["assessment_json", "criterion_explanation", "decision_summary", "render_recorded", "render_text"]
