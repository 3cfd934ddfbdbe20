"""State changes owned by core (security policy, calendar overrides). Each runs in one
transaction and writes its audit entry with it."""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from yimen.core import audit, calendar
from yimen.core.errors import Conflict, Invalid, NotFound
from yimen.core.models import AuditEntry, CalendarDay, CalendarYear, SecurityPolicy
from yimen.core.permissions import require_permission
from yimen.core.sealed import reseal, sealed_models
from yimen.core.security import current_policy, forget_policy

if TYPE_CHECKING:
    from yimen.org.models import Membership


def field_key_rotate(*, old_secret: str, batch: int = 1000) -> dict[str, int]:
    """Move every sealed value (ID numbers, phones, import payloads … of every app: core.sealed) from
    the old field key to the current one (YIMEN_FIELD_KEY), with their blind indexes, after the
    operator has set the new key (README "Rotating the field key"; 等保2.0 level 3 key management).
    One transaction per batch rather than one for all: a province's registry is millions of rows,
    and a run that stops resumes where it stopped. Run it with the application stopped: until it
    finishes, searches by ID number or phone miss old rows."""
    if not old_secret or old_secret == settings.YIMEN_FIELD_KEY:
        raise Invalid("请提供与当前密钥不同的旧密钥。", errors={"old_secret": ["旧密钥为空或与当前密钥相同。"]})
    counts: dict[str, int] = {}
    for model, columns in sealed_models().items():
        names = [name for pair in columns for name in pair if name]
        last, done = 0, 0
        while True:
            with transaction.atomic():
                rows = list(model._base_manager.select_for_update().filter(pk__gt=last).order_by("pk")[:batch])
                if not rows:
                    break
                resealed = [row for row in rows if reseal(row, columns, old_secret)]
                model._base_manager.bulk_update(resealed, names)
            last, done = rows[-1].pk, done + len(resealed)
        counts[model._meta.label] = done
    audit.record(action="field_key_rotate", username="manage.py", detail=counts)
    return counts


def stored_files_reseal(*, old_secret: str) -> int:
    """Move the uploaded files (attachments, photos) from the old field key to the current one,
    as part of a field key rotation (README "Rotating the field key"); one audit entry with the
    count. The files are not rows, so there is no transaction to share: each file is replaced
    atomically on its own and a stopped run resumes."""
    from django.core.files.storage import default_storage

    resealed = default_storage.reseal(old_secret)
    audit.record(action="file_key_rotate", username="manage.py", detail={"files": resealed})
    return resealed


# Who started a chain check, as the auditor reads it on the chain status panel.
CHAIN_CHECK_TRIGGERS = {"manual": "手动校验", "command": "命令行校验", "nightly": "每日定时校验"}


def audit_chain_check(*, trigger: str, actor: "Membership | None" = None, ip: str = "") -> audit.ChainReport:
    """审计链校验: verify the whole HMAC-SM3 chain and record the outcome as an "audit_verify"
    entry, success or failure (网络安全法 art. 21 and 等保2.0 level 3: audit records are protected
    against deletion and alteration, and the protection is checked). One function behind
    `manage.py verify_audit`, the nightly task and the auditor's "verify now" button.

    The walk runs outside a transaction on purpose: on SQLite an atomic block takes the write
    lock at BEGIN (IMMEDIATE), and a long walk would stall every writer. Only the result entry
    is written, atomically, by audit.record()."""
    if trigger not in CHAIN_CHECK_TRIGGERS:
        raise ValueError(f"unknown chain check trigger {trigger!r}")
    if actor is not None:
        require_permission(actor, "audit.view")
    report = audit.verify()
    detail = {
        "trigger": trigger,
        "checked": report.checked,
        "broken_at": report.broken_at,
        "reason": report.reason,
        "tip_digest": report.tip_digest,
    }
    audit.record(
        action="audit_verify",
        actor=actor.user if actor else None,
        unit_code=actor.unit.code if actor else "",
        unit_name=actor.unit.name if actor else "",
        target="audit_chain",
        ip=ip,
        result=AuditEntry.Result.SUCCESS if report.ok else AuditEntry.Result.FAILURE,
        detail=detail,
    )
    return report


# field -> (lowest, highest) the security administrator may set (等保2.0 level 3 practice: lock
# after at most 10 failures, end idle sessions within 2 hours, tokens live at most 3 days).
SECURITY_POLICY_RANGES: dict[str, tuple[int, int]] = {
    "failure_limit": (3, 10),
    "lockout_minutes": (5, 1440),
    "session_idle_minutes": (5, 120),
    "token_hours": (1, 72),
}


# On/off settings of the policy (the rest are numbers within SECURITY_POLICY_RANGES).
SECURITY_POLICY_SWITCHES = ("totp_required",)


def _stale_policy(current: int) -> Conflict:
    return Conflict(f"安全策略已被他人修改（当前为第 {current} 版），请刷新页面后重新填写。", code="stale_version")


@transaction.atomic
def security_policy_update(*, actor: "Membership", version: int, ip: str = "", **fields: int | bool) -> SecurityPolicy:
    """安全管理员 changes the security policy (等保2.0 level 3, 身份鉴别: lockout after repeated
    failures, idle session timeout, token lifetime, the second factor for administrators and
    reveal roles; 三员分立: secadmin only). Numbers must lie in SECURITY_POLICY_RANGES, switches
    are true or false; a stale `version` is refused (409). Lockout, idle timeout, token issue
    and the second step read the policy through security.current_policy(), so a change applies
    at once (switching the second factor on sends open sessions of asked users to the second
    step at their next request, and stops their tokens issued without it)."""
    require_permission(actor, "security.manage")
    unknown = set(fields) - set(SECURITY_POLICY_RANGES) - set(SECURITY_POLICY_SWITCHES)
    if unknown:
        raise TypeError(f"not security policy fields: {sorted(unknown)}")
    policy = current_policy(fresh=True)
    if policy.version != version:
        raise _stale_policy(policy.version)
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        if name in SECURITY_POLICY_SWITCHES:
            if not isinstance(value, bool):
                errors[name] = ["须为是或否。"]
            continue
        low, high = SECURITY_POLICY_RANGES[name]
        if not low <= value <= high:
            errors[name] = [f"须在 {low}–{high} 之间。"]
    if errors:
        raise Invalid("安全策略有误，请检查标出的项。", errors=errors)
    changed = {name: value for name, value in fields.items() if getattr(policy, name) != value}
    if not changed:
        return policy
    # The conditional UPDATE catches a save that landed between the read above and this write.
    moved = SecurityPolicy.objects.filter(id=1, version=version).update(
        **changed, version=F("version") + 1, updated_at=timezone.now(), updated_by=actor.user
    )
    if moved != 1:
        raise _stale_policy(version + 1)
    # The entry keeps each changed value as [before, after].
    before_after = {name: [getattr(policy, name), value] for name, value in changed.items()}
    audit.record(
        action="security_policy_update",
        actor=actor.user,
        unit_code=actor.unit.code,
        unit_name=actor.unit.name,
        target="security_policy",
        ip=ip,
        detail={"changed": before_after, "version": version + 1},
    )
    forget_policy()  # this process, now; and again once committed, in case a reader re-cached the old row
    transaction.on_commit(forget_policy)
    policy.refresh_from_db()
    return policy


# The working-day calendar (DESIGN §3): holidays and make-up workdays are data an administrator
# edits; every change is audited in its transaction and reaches the readers' caches (calendar.py).


def _calendar_changed() -> None:
    """Drop the cached calendar now, so the rest of this request sees the change, and again at
    commit, so that a process which reloaded in between does not keep the state before it."""
    calendar.invalidate()
    transaction.on_commit(calendar.invalidate)


def _calendar_day_state(row: CalendarDay | None) -> dict | None:
    return None if row is None else {"is_workday": row.is_workday, "name": row.name, "source": row.source}


def _calendar_audit(actor: "Membership", *, action: str, target: str, detail: dict) -> None:
    audit.record(
        action=action,
        actor=actor.user,
        unit_code=actor.unit.code,
        unit_name=actor.unit.name,
        target=target,
        detail=detail,
    )


def _calendar_text_errors(value: str, field: str, empty: str, limit: int) -> dict[str, list[str]]:
    if not value:
        return {field: [empty]}
    return {field: [f"最多 {limit} 个字。"]} if len(value) > limit else {}


def _calendar_year_errors(year: int, field: str) -> dict[str, list[str]]:
    years = calendar.EDITABLE_YEARS
    return {} if year in years else {field: [f"年份须在 {years.start}–{years.stop - 1} 之间。"]}


@transaction.atomic
def calendar_load_from_library(*, years: Iterable[int]) -> dict[int, int]:
    """载入节假日: seed the holidays on weekdays and make-up workdays (调休上班) on weekends of
    `years` from chinesecalendar, which follows the State Council's yearly notices, and mark
    each year known (source "chinesecalendar"; DESIGN §3). Idempotent: the library's own rows
    follow the library, days an administrator set are kept. Returns the rows written per year;
    a run that writes anything is audited as "calendar_load". Years the library does not know
    (2027 and later with chinesecalendar 1.11) are refused: an administrator enters them."""
    wanted = sorted(set(years))
    known = calendar.library_years()
    missing = [year for year in wanted if year not in known]
    if missing:
        message = (
            f"chinesecalendar 只收录 {known.start}–{known.stop - 1} 年，没有 {'、'.join(map(str, missing))} 年的安排，"
            "请依据国务院办公厅的放假通知在工作日历页面录入。"
        )
        raise Invalid(message, errors={"years": [message]})
    written = {
        year: calendar.store_library_year(year=year, year_model=CalendarYear, day_model=CalendarDay) for year in wanted
    }
    if any(written.values()):
        audit.record(
            action="calendar_load",
            username="system",
            target=f"calendar:{wanted[0]}-{wanted[-1]}",
            detail={"source": calendar.LIBRARY_SOURCE, "written": {str(y): n for y, n in written.items()}},
        )
        _calendar_changed()
    return written


@transaction.atomic
def calendar_day_set(
    *, actor: "Membership", date: datetime.date, is_workday: bool, name: str, replace: bool = False
) -> CalendarDay:
    """设置节假日或调休上班日: the system administrator enters or corrects one day of the State
    Council's holiday notice (全国年节及纪念日放假办法; DESIGN §3: the calendar is data). Each day
    needs a name (e.g. 国庆节). A date that already has an entry is refused unless `replace` (the
    page's "修改"), so the add form cannot silently overwrite a holiday. The row's source becomes
    "admin", which a reload from chinesecalendar keeps."""
    require_permission(actor, "calendar.manage")
    name = name.strip()
    errors = {
        **_calendar_year_errors(date.year, "date"),
        **_calendar_text_errors(
            name, "name", "请填写名称，例如“国庆节”。", CalendarDay._meta.get_field("name").max_length
        ),
    }
    row = CalendarDay.objects.select_for_update().filter(date=date).first()
    if row is not None and not replace:
        kind = "调休上班" if row.is_workday else "放假休息"
        errors.setdefault("date", []).append(
            f"{date:%Y-%m-%d} 已有安排（{row.name}，{kind}），如需更改请在列表中点“修改”。"
        )
    if errors:
        raise Invalid("请修正标出的项目。", errors=errors)
    before = _calendar_day_state(row)
    values = {"is_workday": is_workday, "name": name, "source": calendar.ADMIN_SOURCE}
    if row is None:
        try:
            with transaction.atomic():
                row = CalendarDay.objects.create(date=date, **values)
        except IntegrityError:  # another administrator added this date a moment ago
            raise Conflict(f"{date:%Y-%m-%d} 刚被他人设置，请刷新页面后再试。") from None
    else:
        CalendarDay.objects.filter(pk=row.pk).update(**values)
        row.refresh_from_db()
    _calendar_audit(
        actor,
        action="calendar_day_set",
        target=f"calendar:{date:%Y-%m-%d}",
        detail={"before": before, "after": _calendar_day_state(row)},
    )
    _calendar_changed()
    return row


@transaction.atomic
def calendar_day_remove(*, actor: "Membership", date: datetime.date) -> None:
    """删除某日安排: the day returns to the Monday–Friday rule (DESIGN §3). A library day removed
    here comes back when its year is reloaded from chinesecalendar; to overrule the library for
    good, set the day (calendar_day_set) instead."""
    require_permission(actor, "calendar.manage")
    row = CalendarDay.objects.select_for_update().filter(date=date).first()
    if row is None:
        raise NotFound(f"{date:%Y-%m-%d} 没有单独的安排。")
    before = _calendar_day_state(row)
    row.delete()
    _calendar_audit(actor, action="calendar_day_remove", target=f"calendar:{date:%Y-%m-%d}", detail={"before": before})
    _calendar_changed()


@transaction.atomic
def calendar_year_mark_known(*, actor: "Membership", year: int, source: str) -> CalendarYear:
    """标记年度为已知: the system administrator confirms that every holiday and make-up workday
    of `year` from the State Council's notice (国务院办公厅关于某年部分节假日安排的通知) has been
    entered, naming the notice in `source` (e.g. 国办发明电〔2026〕7号). Its deadlines stop being
    flagged as weekends-only guesses (DESIGN §3). Refused for a year already known, and for a
    year without any entered day: every notice has holidays, so an empty year was forgotten."""
    require_permission(actor, "calendar.manage")
    source = source.strip()
    errors = {
        **_calendar_year_errors(year, "year"),
        **_calendar_text_errors(
            source, "source", "请填写依据，例如通知文号。", CalendarYear._meta.get_field("source").max_length
        ),
    }
    existing = CalendarYear.objects.filter(year=year).first()
    if existing is not None:
        errors.setdefault("year", []).append(f"{year} 年已标记为已知（依据：{existing.source}）。")
    elif not errors and not CalendarDay.objects.filter(date__year=year).exists():
        errors["year"] = [f"{year} 年还没有录入任何节假日或调休上班日，请先逐日录入，再标记为已知。"]
    if errors:
        raise Invalid("请修正标出的项目。", errors=errors)
    try:
        with transaction.atomic():
            marked = CalendarYear.objects.create(year=year, source=source)
    except IntegrityError:  # another administrator marked it a moment ago
        raise Conflict(f"{year} 年刚被他人标记为已知，请刷新页面。") from None
    _calendar_audit(actor, action="calendar_year_mark_known", target=f"calendar:{year}", detail={"source": source})
    _calendar_changed()
    return marked
