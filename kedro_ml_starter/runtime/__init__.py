"""Code that generated projects import at run time: versioned, tested, upgraded with pip.

A generated project is copied once and then belongs to its user, so machinery that is not
the user's ML problem lives here instead of in every copy: the model datasets that never
hand out a half-written version (`datasets`), the ONNX export and its parity check
(`onnx`), and the HTTP serving runtime behind `kedro serve` (`serving`).

Importing this package imports nothing heavy: each module pulls in what it needs (Kedro,
onnxruntime, FastAPI, scikit-learn) itself, and only the ONNX export imports scikit-learn.
"""
