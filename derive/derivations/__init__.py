"""The derivations derive knows, by name, in teaching order: forward process, posterior, noise, loss, sampling."""

from __future__ import annotations

from collections.abc import Callable

from derive.exceptions import UnknownNameError
from derive.model import Derivation


def _posterior() -> Derivation:
    from derive.derivations.posterior import POSTERIOR

    return POSTERIOR


def _forward() -> Derivation:
    from derive.derivations.forward import FORWARD

    return FORWARD


def _epsilon() -> Derivation:
    from derive.derivations.epsilon import EPSILON

    return EPSILON


def _loss() -> Derivation:
    from derive.derivations.loss import LOSS

    return LOSS


def _sampling() -> Derivation:
    from derive.derivations.sampling import SAMPLING

    return SAMPLING


# Loaded lazily: building a derivation's expressions costs time a command may not need.
REGISTRY: dict[str, Callable[[], Derivation]] = {
    "forward": _forward,
    "posterior": _posterior,
    "epsilon": _epsilon,
    "loss": _loss,
    "sampling": _sampling,
}


def names() -> tuple[str, ...]:
    return tuple(REGISTRY)


def load(name: str) -> Derivation:
    try:
        factory = REGISTRY[name]
    except KeyError:
        known = ", ".join(REGISTRY)
        raise UnknownNameError(f"no derivation named {name!r} (known: {known})") from None
    return factory()
