"""Language engine: analysers, lexicon, SK<->NK conversion rules and pipeline."""
