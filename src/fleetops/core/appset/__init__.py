"""ApplicationSet generation (pure): generators → parameter sets → rendered Applications.

Public API::

    generate(appset: dict, inputs: GenerationInputs = GenerationInputs()) -> list[dict]
    GenerationInputs(cluster_secrets=[Secret dicts], include_in_cluster=True, repo=RepoTree | None)
    RepoTree (Protocol): directories(url, rev), files(url, rev), read(url, rev, path) -> bytes
    generator_params(generator, GeneratorContext(TemplateMode, inputs)) -> list[params]
    render_application(template, params, mode, *, namespace, template_patch=None) -> dict
    render_fast(text, params); render_go(text, data, *, missing_key_error=False)
    normalize_name(text)                                # Argo CD's SanitizeName
    AppSetError(ValueError) > GeneratorError, TemplateError, DuplicateNameError(.appset, .name)

Generators (``spec.generators[]``; each may carry a post-``selector`` with ``matchLabels`` /
``matchExpressions`` matched against its flattened parameters, and its own ``template`` merged
over ``spec.template``):

- ``list``: ``elements`` and ``elementsYaml`` (a YAML list, typically templated in a matrix). In
  flat mode values must be strings, except a ``values`` map (→ ``values.<k>``).
- ``clusters``: Argo CD cluster Secrets (label ``argocd.argoproj.io/secret-type: cluster``;
  ``stringData`` or base64 ``data``) whose labels match ``selector``; the hub (``in-cluster``,
  ``https://kubernetes.default.svc``) is added first when the selector is empty and no Secret has
  that server. Parameters ``name``, ``nameNormalized``, ``server``, ``project``,
  ``metadata.labels.<k>``, ``metadata.annotations.<k>``, ``values.<k>`` (goTemplate: ``.metadata.labels``,
  ``.metadata.annotations``, ``.values`` maps). ``values`` are rendered with the cluster's parameters.
- ``git`` ``directories``: directories of the tree (hidden ones skipped) matching an entry's ``path``
  (``*`` does not cross ``/``) and no ``exclude: true`` entry. Parameters ``path``,
  ``path.basename``, ``path.basenameNormalized``, ``path[N]`` (goTemplate: ``.path.path``,
  ``.path.basename``, ``.path.basenameNormalized``, ``.path.segments``); ``pathParamPrefix``; ``values``.
- ``git`` ``files``: files matching a ``path`` glob (git pathspec style: ``*`` crosses ``/``, as
  Argo CD's default globbing); ``.json`` as JSON, anything else as YAML; a map or a list of maps.
  Flat mode flattens with dots (``a.b``, ``list.0``); goTemplate keeps the nesting. Plus the path
  parameters of the file's directory and ``path.filename``, ``path.filenameNormalized``.
- ``matrix``: exactly two children; the second's spec is rendered with each of the first's
  parameter sets; flat parameters conflicting in value are an error, goTemplate ones deep-merge.
- ``merge``: ``mergeKeys`` (dotted keys of the flattened parameters); the first child's sets are
  the base, later children's sets with equal key values override them; duplicate keys are an error.
- Not supported: scmProvider, pullRequest, clusterDecisionResource, plugin, ``flatList``, new-style
  (doublestar) git file globbing. ``requeueAfterSeconds`` of git generators is the controller's
  (``fleetops.controller.appset_controller``: default 180 s, as Argo CD).

Templates: the template (``metadata`` name/namespace/labels/annotations/finalizers, ``spec``) has
every string — and every map key — rendered with one parameter set. Applications go into the
ApplicationSet's namespace (default ``argocd``) unless the template names one; owner references
and status are the controller's. As Argo CD, an Application whose template names no finalizers gets
``resources-finalizer.argocd.argoproj.io`` unless ``syncPolicy.preserveResourcesOnDeletion``.
``templatePatch`` is rendered as a template, parsed as YAML and
applied as a JSON merge patch (maps merge, lists are replaced, ``null`` deletes) — what Argo CD's
strategic merge on the Application struct amounts to. Argo CD documents it for goTemplate; like
its code, fleetops also renders it in fasttemplate mode. Duplicate names fail the whole set with
``ApplicationSet X contains applications with duplicate name: Y``.

fasttemplate (default): ``{{name}}`` or ``{{ name }}`` is replaced by the flat parameter of that
name; an unknown or empty tag stays as written.

goTemplate (``goTemplate: true``) — a pure-Python interpreter of this subset of Go's text/template:

- actions ``{{ pipeline }}`` with ``{{-``/``-}}`` trimming and ``{{/* comments */}}``;
- operands: ``.``, ``.a.b``, ``$``, ``$var``, ``$var.a``, string (``"…"``, raw `````…`````), number,
  character, ``true``/``false``/``nil``, parenthesised pipelines; pipelines with ``|``;
  variables ``$x := …`` and ``$x = …``;
- ``if``/``else if``/``else``/``end``, ``with``/``else with``/``else``/``end``,
  ``range`` (lists, maps in key order, integers; ``$v :=`` / ``$i, $v :=``; ``else``);
- functions: default, empty, lower, upper, title, trim, trimPrefix, trimSuffix, replace, trunc,
  quote, squote, contains, hasPrefix, hasSuffix, join, toJson, normalize, slugify ([maxSize]
  [smartTruncate] text), index, printf (verbs %s %v %d %q %t %f %x %%), print, len, eq, ne, lt,
  le, gt, ge, and, or, not;
- a missing map key prints ``<no value>``; ``goTemplateOptions: ["missingkey=error"]`` makes it an
  error naming the key.
- Not supported: ``define``/``template``/``block``, ``break``/``continue``, method calls, the rest
  of Sprig (dates, crypto, regex, dicts/lists constructors, toYaml/fromYaml, …); ``and``/``or``
  evaluate all their arguments.

What the controller decides, purely (its I/O is ``fleetops.engine.appset_reconcile``):

- ``ownership``: ``owner_reference(appset)`` (controller, blockOwnerDeletion); ``sync_policy(spec)``
  (``applicationsSync``: create-only, create-update, create-delete, sync = default);
  ``plan_changes(appset, desired, existing, operations=)`` → ``AppChanges(create, update, delete,
  unchanged)`` — an update takes spec, labels, annotations and finalizers from the template (keeping
  ``preservedFields`` and ``argocd.argoproj.io/refresh``), keeps status and a pending operation;
  an unowned Application of that name is adopted, one controlled by another object is an error;
  ``appset_conditions`` / ``error_conditions`` (``ErrorOccurred``, ``ParametersGenerated``,
  ``ResourcesUpToDate``, ``RolloutProgressing`` with Argo CD's reasons) and ``resource_entries``
  (``status.resources``).
- ``validation``: ``known_clusters(secrets)``, ``validate_applications(apps, clusters, projects=)``:
  a destination that is no known cluster, or a project that does not exist (``default`` always
  does), is an ``ApplicationValidationError`` and nothing is written.
- ``progressive`` (``strategy.type: RollingSync``): ``rolling_sync_steps(spec)``,
  ``plan_rollout(steps, [app_state(app)], previous applicationStatus, now=, paused=,
  previous_summary=)`` → ``RolloutPlan(application_status, sync, step, waiting_for, since, halted,
  paused)``; statuses Waiting → Pending → Progressing → Healthy as Argo CD's; an Application belongs
  to the first step that selects it, those no step selects are left out; ``maxUpdate`` is a number
  or a percentage (rounded down, at least 1 above 0%; 0 syncs none). Better than Argo CD: a step is
  complete only while its Applications are still Synced and Healthy, a Degraded Application or a
  failed sync halts the rollout (``RolloutHalted`` with the reason), ``status.rollout`` says which
  step, what it waits for and since when, and ``fleetops.io/paused: "true"`` pauses it.
"""

from fleetops.core.appset.errors import AppSetError, DuplicateNameError, GeneratorError, TemplateError
from fleetops.core.appset.fasttemplate import render_fast
from fleetops.core.appset.generate import generate
from fleetops.core.appset.generators import GeneratorContext, generator_params
from fleetops.core.appset.gotemplate import render_go
from fleetops.core.appset.inputs import IN_CLUSTER_NAME, IN_CLUSTER_SERVER, GenerationInputs, RepoTree
from fleetops.core.appset.params import normalize_name
from fleetops.core.appset.render import render_application
from fleetops.core.appset.templating import TemplateMode

__all__ = [
    "IN_CLUSTER_NAME",
    "IN_CLUSTER_SERVER",
    "AppSetError",
    "DuplicateNameError",
    "GenerationInputs",
    "GeneratorContext",
    "GeneratorError",
    "RepoTree",
    "TemplateError",
    "TemplateMode",
    "generate",
    "generator_params",
    "normalize_name",
    "render_application",
    "render_fast",
    "render_go",
]
