"""The derivations derive knows, by name, in teaching order: forward process, posterior, noise, loss, sampling."""

from __future__ import annotations

from collections.abc import Callable

from derive.exceptions import UnknownNameError
from derive.model import Derivation, Prose

#: the index of the derivations: its title and its introduction
TITLE = Prose(
    "Denoising diffusion (DDPM), derived and verified",
    "去噪扩散模型（DDPM）：推导与验证",
)
INTRO = Prose(
    "The derivations behind DDPM, in teaching order: each builds on the ones before it. Every step of every "
    "derivation is checked by SymPy; each document says how, and under which conditions.",
    "DDPM 背后的推导，按教学顺序排列：每一篇都建立在前面各篇之上。每篇推导的每一步都经 SymPy 验证；各文档说明了验证方法与所需条件。",
)


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
