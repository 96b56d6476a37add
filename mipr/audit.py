"""The audit log: who changed what, and when, for everything users edit.

Each app registers the models its users edit (in its AppConfig.ready) with the
path from an object to its process. Saves and deletes of those models are
recorded from Django's model signals, so no edit path can forget to log; the
few services that write with a queryset update() call `record()` themselves.

The person is taken from the request being served (see AuditMiddleware): the
signed-in user, or a workshop participant's first name and group, named by the
participant access check. Work without a request (commands, the Celery worker)
is logged as the system.

Autosave writes an answer every few seconds while someone types: consecutive
changes of one object by one person within COALESCE are kept as one entry,
from the first old value to the last new one.
"""

import contextvars
import json
from dataclasses import dataclass
from datetime import timedelta

from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

COALESCE = timedelta(minutes=10)
MAX_VALUE = 300  # characters of a value kept in the log
SKIPPED_FIELDS = {"id", "created_at", "updated_at", "version", "revision"}


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    label: str


_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar(
    "audit_actor", default=None
)
_registry: dict[type, str] = {}


def current_actor() -> Actor | None:
    return _actor.get()


def act_as_participant(name: str, group) -> None:
    """Called by the participant check: this request is this group's member."""
    _actor.set(Actor(None, f"{name} ({group.name})"))


def register(model, process_path: str) -> None:
    """Log changes of model; process_path leads to its process id ("process_id",
    "workshop.process_id", ...)."""
    _registry[model] = process_path
    uid = f"audit-{model._meta.label}"
    pre_save.connect(_remember, sender=model, dispatch_uid=uid)
    post_save.connect(_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid)


def kinds() -> dict[str, str]:
    """The logged models: label -> their name for people, sorted by that name."""
    names = {m._meta.label_lower: str(m._meta.verbose_name) for m in _registry}
    return dict(sorted(names.items(), key=lambda item: item[1].lower()))


def _fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in SKIPPED_FIELDS and not f.primary_key
    ]


def _value(field, raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, dict | list):
        text = json.dumps(raw, ensure_ascii=False)
    else:
        text = str(raw)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _snapshot(instance) -> dict:
    # Only what is loaded: reading a deferred field here would cost a query.
    return {
        f.attname: instance.__dict__[f.attname]
        for f in _fields(type(instance))
        if f.attname in instance.__dict__
    }


def _remember(sender, instance, raw=False, **kwargs):
    """The stored values of an object about to be saved: one query per save.

    Not taken when objects are loaded, since pages load thousands and save few.
    """
    if raw or instance._state.adding or instance.pk is None:
        instance._audit_before = {}
        return
    names = [f.attname for f in _fields(sender)]
    instance._audit_before = (
        sender._base_manager.filter(pk=instance.pk).values(*names).first() or {}
    )


def _process_id(instance):
    target = instance
    for part in _registry[type(instance)].split("."):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target


def _diff(model, before: dict, after: dict) -> dict:
    fields = {f.attname: f for f in _fields(model)}
    return {
        fields[name].name: [
            _value(fields[name], before[name]),
            _value(fields[name], value),
        ]
        for name, value in after.items()
        if name in before and before[name] != value
    }


def _saved(sender, instance, created, raw=False, **kwargs):
    if raw:  # loaddata (restore): a copy, not an edit
        return
    before = getattr(instance, "_audit_before", {})
    after = _snapshot(instance)
    instance._audit_before = after
    if created:
        fields = {f.attname: f for f in _fields(sender)}
        changes = {
            fields[name].name: ["", _value(fields[name], value)]
            for name, value in after.items()
            if value not in (None, "", [], {})
        }
        record(instance, "created", changes)
        return
    changes = _diff(sender, before, after)
    if changes:
        record(instance, "changed", changes)


def snapshot(instance) -> dict:
    """The instance's values now, for record_update() after a queryset update."""
    return _snapshot(instance)


def record_update(instance, before: dict) -> None:
    """Log what a queryset update() changed; instance holds the new values."""
    after = _snapshot(instance)
    instance._audit_before = after
    changes = _diff(type(instance), before, after)
    if changes:
        record(instance, "changed", changes)


def _deleted(sender, instance, **kwargs):
    record(instance, "deleted", {})


def record(instance, action: str, changes: dict, *, process_id=None) -> None:
    """Log one edit of instance by whoever is acting now."""
    from .models import AuditEntry

    actor = current_actor()
    label = actor.label if actor else ""
    user_id = actor.user_id if actor else None
    if process_id is None:
        process_id = _process_id(instance)
    model = instance._meta.label_lower
    object_id = str(instance.pk)
    now = timezone.now()
    if action == "changed":
        last = (
            AuditEntry.objects.filter(model=model, object_id=object_id)
            .order_by("-at", "-pk")
            .first()
        )
        if (
            last is not None
            and last.action == "changed"
            and last.actor == label
            and last.user_id == user_id
            and now - last.at < COALESCE
        ):
            merged = dict(last.changes)
            for name, (old, new) in changes.items():
                merged[name] = [merged[name][0] if name in merged else old, new]
            AuditEntry.objects.filter(pk=last.pk).update(changes=merged, at=now)
            return
    AuditEntry.objects.create(
        process_id=process_id,
        user_id=user_id,
        actor=label,
        action=action,
        model=model,
        object_id=object_id,
        object_repr=str(instance)[:200],
        changes=changes,
        at=now,
    )


class AuditMiddleware:
    """Whoever is signed in acts in this request (participants: see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = Actor(user.pk, user.get_username())
        else:
            actor = None
        token = _actor.set(actor)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)
