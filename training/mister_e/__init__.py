"""MiSTER-E (Mixture of Speech-Text Experts for Recognition of Emotions): the conversation head.

The head consumes per-turn utterance embeddings (text and speech) and produces, per turn, a mixture
of three experts' emotion predictions (speech, text, cross-modal) plus the gate weights that explain
the mixture. See docs/training.md and docs/model-contract.md.
"""
