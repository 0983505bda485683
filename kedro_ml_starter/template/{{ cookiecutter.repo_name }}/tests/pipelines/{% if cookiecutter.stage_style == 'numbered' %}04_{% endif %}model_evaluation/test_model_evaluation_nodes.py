"""Stage 04: metrics are consistent with the data, and the plot is a real PNG."""

from __future__ import annotations

import io

from tests.helpers import stage_module

nodes = stage_module("evaluation")


def test_metrics_cover_eval_and_test(fitted):
    metrics = nodes.evaluate_model(fitted["model"], fitted["eval"], fitted["test"])
    for split in ("eval", "test"):
        result = metrics[split]
        assert result["rows"] == len(fitted[split])
        assert 0.9 < result["accuracy"] <= 1
        assert 0 < result["macro_f1"] <= 1
        counts = result["confusion_matrix"]["counts"]
        assert sum(map(sum, counts)) == result["rows"]
        diagonal = sum(counts[i][i] for i in range(len(counts)))
        assert diagonal / result["rows"] == result["accuracy"]
        assert set(result["per_class"]) == {"Adelie", "Chinstrap", "Gentoo"}


def test_confusion_matrix_plot_is_a_png_with_two_panels(fitted):
    metrics = nodes.evaluate_model(fitted["model"], fitted["eval"], fitted["test"])
    figure = nodes.plot_confusion_matrices(metrics)
    assert len(figure.axes) == 2
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG\r\n\x1a\n")
