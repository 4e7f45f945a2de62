"""Saving and loading the trained pipelines (skops) with their metadata (JSON)."""

from __future__ import annotations

import json
import os
import platform
import zipfile
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import skops.io as sio

from triage.errors import ModelNotFound

if TYPE_CHECKING:
    from triage.model.train import FittedModels

MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"
REPO_ROOT = Path(__file__).resolve().parents[2]
# Types skops may rebuild: only the libraries the pipelines are made of.
_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.", "collections.")


def model_dir(path: Path | str | None = None) -> Path:
    """The model directory: ``path``, else $TRIAGE_MODEL_DIR, else <repo>/models/triage."""
    if path:
        return Path(path)
    if os.environ.get("TRIAGE_MODEL_DIR"):
        return Path(os.environ["TRIAGE_MODEL_DIR"])
    return REPO_ROOT / "models" / "triage"


def library_versions() -> dict[str, str]:
    """Versions of Python and the libraries a saved model depends on."""
    versions = {"python": platform.python_version()}
    for name in ("scikit-learn", "spacy", "spacy-lookups-data", "skops", "numpy", "scipy"):
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def slim(pipeline: Any) -> Any:
    """Drop what prediction never uses: vectorizers' pruned-term lists and the fit cache."""
    if pipeline is None:
        return None
    pipeline.set_params(memory=None)
    for _, transformer, _ in pipeline.named_steps["features"].transformers_:
        if hasattr(transformer, "stop_words_"):
            transformer.stop_words_ = None
        if hasattr(transformer, "vocabulary_"):
            # Plain ints serialise far faster and smaller with skops than NumPy scalars.
            transformer.vocabulary_ = {str(k): int(v) for k, v in transformer.vocabulary_.items()}
    return pipeline


def as_bundle(fitted: FittedModels) -> dict[str, Any]:
    """The fitted models as the plain dict that is saved and that ``Model`` reads."""
    return {
        "route": fitted.route,
        "causes": fitted.causes,
        "cause_labels": list(fitted.cause_labels),
        "cause_threshold": fitted.cause_threshold,
        "cause_sentence_weight": fitted.cause_sentence_weight,
        "service_area": fitted.service_area,
        "safeguarding": fitted.safeguarding,
        "safeguarding_threshold": fitted.safeguarding_threshold,
        "outside_minimum": fitted.outside_minimum,
        "statutory_margin": fitted.statutory_margin,
    }


def save(fitted: FittedModels, metadata: dict[str, Any], directory: Path) -> None:
    """Write the pipelines and metadata; replace files atomically so readers never see half."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in ("route", "causes", "service_area", "safeguarding"):
        slim(getattr(fitted, name))
    bundle = as_bundle(fitted)
    model_tmp = directory / f".{MODEL_FILE}.tmp"
    sio.dump(bundle, model_tmp, compression=zipfile.ZIP_DEFLATED)
    metadata = {**metadata, "artefact_bytes": model_tmp.stat().st_size}
    meta_tmp = directory / f".{METADATA_FILE}.tmp"
    meta_tmp.write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(model_tmp, directory / MODEL_FILE)
    os.replace(meta_tmp, directory / METADATA_FILE)


def load(directory: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read the pipelines and metadata from ``directory``.

    Raises ModelNotFound when either file is missing, and refuses an artefact holding
    types outside scikit-learn, NumPy and SciPy.
    """
    model_path, meta_path = directory / MODEL_FILE, directory / METADATA_FILE
    if not model_path.is_file() or not meta_path.is_file():
        raise ModelNotFound(
            f"No trained triage model in {directory}: run `python -m triage train` first."
        )
    untrusted = sio.get_untrusted_types(file=model_path)
    unexpected = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES)]
    if unexpected:
        raise ModelNotFound(f"Refusing to load {model_path}: unexpected types {unexpected}")
    bundle = sio.load(model_path, trusted=untrusted)
    metadata = json.loads(meta_path.read_text(encoding="utf-8"))
    return bundle, metadata
