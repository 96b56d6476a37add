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
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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


# --- Reading the log ----------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field's change as people read it."""

    label: str
    old: str
    new: str


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed
        return None


def _is_reference(field) -> bool:
    return field is not None and (field.many_to_one or field.one_to_one)


def _names_of(entries) -> dict[type, dict[str, str]]:
    """The objects the entries' references name, one query per kind of object
    (not per entry): {model: {id as logged: its name}}."""
    wanted = defaultdict(set)
    for entry in entries:
        model = entry.model_class
        for name, values in entry.changes.items():
            field = _field(model, name)
            if _is_reference(field):
                wanted[field.related_model].update(
                    int(v) for v in values if str(v).isdigit()
                )
    names = {}
    for model, ids in wanted.items():
        # select_related(): names such as «Gruppe 1 (Workshop)» read a
        # related object, which then comes with the same query.
        found = model._base_manager.select_related().filter(pk__in=ids)
        names[model] = {str(obj.pk): _name(obj) for obj in found}
    return names


def _name(obj) -> str:
    full_name = getattr(obj, "get_full_name", None)
    if full_name is not None:
        return full_name() or obj.get_username()
    return str(obj)


def _shown(field, value: str, names: dict) -> str:
    """A logged value as people read it: names for ids, «ja»/«nei», the
    choice's label, dates and local times to the minute."""
    if value in ("", None) or field is None:
        return value
    if _is_reference(field):
        return names.get(field.related_model, {}).get(
            value, _("%(id)s (deleted)") % {"id": value}
        )
    if field.choices:
        return {str(k): str(v) for k, v in field.flatchoices}.get(value, value)
    if isinstance(field, models.BooleanField):
        return {"True": _("yes"), "False": _("no")}.get(value, value)
    try:
        if isinstance(field, models.DateTimeField):
            moment = datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "SHORT_DATETIME_FORMAT")
        if isinstance(field, models.DateField):
            return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except ValueError:  # shortened (MAX_VALUE) or written by hand
        return value
    return value


def describe(entries) -> None:
    """Give each entry `shown_changes` (a list of Change): field names in the
    reader's language, names instead of ids, «ja»/«nei», times to the minute.
    A bounded number of queries for a page of entries."""
    entries = list(entries)
    names = _names_of(entries)
    for entry in entries:
        model = entry.model_class
        rows = []
        for name, (old, new) in entry.changes.items():
            field = _field(model, name)
            label = str(field.verbose_name) if field is not None else name
            rows.append(
                Change(label, _shown(field, old, names), _shown(field, new, names))
            )
        entry.shown_changes = rows


def filtered(entries, *, type=None, person=None, fra=None, til=None):
    """The entries of one kind, by one person («-»: the system), from one day
    to another (both included, in local time)."""
    if type:
        entries = entries.filter(model=type)
    if person:
        entries = entries.filter(actor="" if person == "-" else person)
    if fra:
        entries = entries.filter(at__date__gte=fra)
    if til:
        entries = entries.filter(at__date__lte=til)
    return entries
