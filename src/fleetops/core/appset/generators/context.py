"""What every generator is given besides its own spec."""

from __future__ import annotations

import dataclasses

from fleetops.core.appset.inputs import GenerationInputs
from fleetops.core.appset.templating import TemplateMode

__all__ = ["GeneratorContext"]


@dataclasses.dataclass(frozen=True)
class GeneratorContext:
    """The ApplicationSet's template mode and the outside inputs."""

    mode: TemplateMode
    inputs: GenerationInputs
