"""Knowledge base: ingest passages, embed them (local ONNX MiniLM by default), hybrid search."""
