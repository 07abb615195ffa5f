"""Training, evaluation and ONNX export of the FerBatch emotion CNN."""

EMOTIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
