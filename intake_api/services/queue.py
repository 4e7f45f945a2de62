"""The officers' queue: filtering, ordering and paging cases.

Filters read the case's own summary columns (current route, stage, due date, flags),
which the lifecycle keeps up to date, so the queue is one indexed query.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from intake_api.deadlines import add_working_days
from intake_api.models import Case, CaseCause, db
from intake_api.references import PATTERN, normalise_reference
from intake_api.services import stages as clock
from intake_api.services.validation import CaseFilters


def case_query(
    filters: CaseFilters, today: dt.date | None = None, *, pin_safeguarding: bool = False
) -> Select[tuple[Case]]:
    """Cases matching `filters`, in the order asked for.

    `urgency` (the default): safeguarding first, then cases needing review, then the
    nearest deadline, then the newest. `due`: nearest deadline first. `created`: newest.
    `pin_safeguarding` puts safeguarding cases first whatever the sort (officers' pages).
    """
    today = today or clock.today()
    query = select(Case)
    if filters.route is not None:
        query = query.where(Case.route == filters.route)
    if filters.stage is not None:
        query = query.where(Case.stage == filters.stage)
    if filters.status is not None:
        query = query.where(Case.status == filters.status)
    if filters.kind is not None:
        query = query.where(Case.kind == filters.kind)
    if filters.service_area is not None:
        query = query.where(Case.service_area == filters.service_area)
    if filters.cause is not None:
        query = query.where(
            select(CaseCause.case_id)
            .where(CaseCause.case_id == Case.id, CaseCause.cause == filters.cause)
            .exists()
        )
    if filters.assignee == "none":
        query = query.where(Case.assignee_id.is_(None))
    elif filters.assignee is not None:
        query = query.where(Case.assignee_id == int(filters.assignee))
    if filters.needs_review is not None:
        query = query.where(Case.needs_review.is_(filters.needs_review))
    if filters.safeguarding is not None:
        query = query.where(Case.safeguarding.is_(filters.safeguarding))
    if filters.handoff is not None:
        query = query.where(Case.handoff_requested.is_(filters.handoff))
    if filters.overdue is not None:
        # Overdue: an officer's deadline has passed on a case that is running.
        running = Case.status.in_(("new", "open"))
        late = running & (Case.due_on < today)
        query = query.where(late if filters.overdue else ~late | Case.due_on.is_(None))
    if filters.due_within is not None:
        limit = add_working_days(today, filters.due_within)
        query = query.where(Case.status.in_(("new", "open")), Case.due_on <= limit)
    if filters.q:
        reference = normalise_reference(filters.q)
        if PATTERN.match(reference):
            # A reference: the unique index finds it; no need to read every description.
            query = query.where(Case.reference == reference)
        else:
            words = filters.q.lower().replace("\\", "").replace("%", "").replace("_", "")
            query = query.where(func.lower(Case.description).like(f"%{words}%"))
    newest = (Case.created_at.desc(), Case.id.desc())
    # NULLS LAST is an ascending B-tree's own order, so an index can serve it.
    due = (Case.due_on.asc().nulls_last(),)
    pinned = (Case.safeguarding.desc(),) if pin_safeguarding else ()
    if filters.sort == "created":
        return query.order_by(*pinned, *newest)
    if filters.sort == "due":
        return query.order_by(*pinned, *due, *newest)
    return query.order_by(Case.safeguarding.desc(), Case.needs_review.desc(), *due, *newest)


def list_cases(filters: CaseFilters, *, pin_safeguarding: bool = False) -> tuple[list[Case], int]:
    """One page of cases matching `filters`, and how many match in all."""
    query = case_query(filters, pin_safeguarding=pin_safeguarding)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    # Related rows are loaded by id for the page only: joining them in the main query
    # would make the database join every matching case before sorting and limiting.
    items = db.session.scalars(
        query.options(
            selectinload(Case.complainant),
            selectinload(Case.assignee),
            selectinload(Case.triage_results),
        )
        .limit(filters.per_page)
        .offset((filters.page - 1) * filters.per_page)
    ).all()
    return list(items), int(total or 0)
