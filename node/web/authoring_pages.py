"""The authoring pages: sign-in, the writer's overview, the case form, upload, review, audit.

Every page is server-rendered HTML that works without JavaScript, in the interface language of the
reader (Accept-Language, then the node's languages). Every form carries a CSRF token bound to the
session (node/sessions.py); a POST without a valid one, or from a session that has expired or whose
person was removed or reset, changes nothing and gets a page that says what to do. The work itself
is node/authoring (drafts, publishing through node/publish.py, review, audit); people and sign-in
are node/people.py. Routes are listed in `routes()` and documented in docs/publishing.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from stafett import texts
from stafett.digits import ascii_digits
from stafett.node import sheet_template, spreadsheet
from stafett.node.authoring.drafts import Draft, DraftConflict, Drafts
from stafett.node.authoring.fields import case_fields, document_from_form, form_from_document
from stafett.node.authoring.service import Authoring, Conflict, Published, Refused
from stafett.node.messages import ui_language
from stafett.node.people import People, Person, SignIn
from stafett.node.sessions import COOKIE, Csrf
from stafett.node.settings import NodeSettings
from stafett.node.store import NodeStore
from stafett.node.web import html
from stafett.node.web.authoring_form import (
    FormBuilder,
    cpv_search,
    field_label,
    findings_by_name,
    first_input,
    w,
)

# A session cookie from the sign-in form: no standard scheme says that, so the challenge names the form.
SIGN_IN_CHALLENGE = 'Session realm="stafett-node", form="{url}"'
PAGE_HEADERS = {"Cache-Control": "no-store", "Vary": "Accept-Language, Cookie"}
FORM_FIELDS = 5_000  # inputs one case form may post (the generated form has about 600)


@dataclass
class Ctx:
    """What every authoring page knows: the reader's language, who is signed in, the CSRF token."""

    lang: str
    person: Person | None
    csrf: str


class AuthoringPages:
    def __init__(self, settings: NodeSettings, store: NodeStore, people: People, csrf: Csrf):
        self.settings, self.store, self.people, self.csrf = settings, store, people, csrf
        self.sign_in = SignIn(settings, people)
        self.drafts = Drafts(settings.database_path)
        self.authoring = Authoring(settings, store, self.drafts)
        self.fields = case_fields()

    # -- the frame of every page --------------------------------------------------------------
    def ctx(self, request: Request) -> Ctx:
        lang = ui_language(request.headers.get("accept-language"), self.settings.languages)
        return Ctx(lang, self.person(request), self.csrf.token(request.session))

    def person(self, request: Request) -> Person | None:
        """The signed-in person, if the session still belongs to them (a reset or removal ends it)."""
        session = request.session
        name = session.get("who")
        if not name:
            return None
        person = self.people.get(name)
        if person is None or person.stamp != session.get("stamp"):
            session.pop("who", None), session.pop("stamp", None)
            return None
        return person

    def page(self, template: str, ctx: Ctx, status: int = 200, **values) -> HTMLResponse:
        body = html.render(
            f"authoring/{template}",
            lang=ctx.lang,
            w=texts.words("authoring", ctx.lang),
            sw=texts.words("sheets", ctx.lang),  # a spreadsheet's rows are said as the CLI says them
            person=ctx.person,
            csrf=ctx.csrf,
            review=self.settings.review,
            org=html.organisation(self.settings, ctx.lang),
            base_url=self.settings.base_url,
            **values,
        )
        return HTMLResponse(body, status_code=status, headers={**PAGE_HEADERS, "Content-Language": ctx.lang})

    def message(self, ctx: Ctx, status: int, title: str, text: str, back: str = "author") -> HTMLResponse:
        return self.page("message.html", ctx, status, title=title, text=text, back=back)

    def go(self, path: str) -> Response:
        return RedirectResponse(self.settings.base_url + path, status_code=303, headers=PAGE_HEADERS)

    async def form(self, request: Request, ctx: Ctx, *, files: int = 0) -> FormData | HTMLResponse:
        """The posted form, or the page that refuses it (too big, forged or stale): nothing changes."""
        declared = request.headers.get("content-length", "")
        if not ascii_digits(declared) or int(declared) > self.settings.max_body_bytes:
            limit = f"{self.settings.max_body_bytes:,}".replace(",", "\u00a0")
            return self.message(ctx, 413, w("too_large_title", ctx.lang), w("too_large", ctx.lang, n=limit))
        try:
            form = await request.form(
                max_files=files, max_fields=FORM_FIELDS, max_part_size=self.settings.max_body_bytes
            )
        except (HTTPException, ValueError):  # a broken multipart body, too many fields or files
            return self.message(ctx, 400, w("bad_form_title", ctx.lang), w("bad_form", ctx.lang))
        if not self.csrf.valid(request.session, str(form.get("csrf") or "")):
            return self.message(ctx, 403, w("csrf_title", ctx.lang), w("csrf", ctx.lang), back="sign-in")
        return form

    def signed_in(self, request: Request, ctx: Ctx, role: str = "editor") -> HTMLResponse | None:
        """None when the person may go on; else the page that says why not."""
        if ctx.person is None:
            text = w("stale", ctx.lang) if request.cookies.get(COOKIE) else w("please_sign_in", ctx.lang)
            page = self.message(ctx, 401, w("sign_in", ctx.lang), text, back="sign-in")
            page.headers["WWW-Authenticate"] = SIGN_IN_CHALLENGE.format(
                url=self.settings.base_url + "sign-in"
            )  # RFC 9110: a 401 names its scheme
            return page
        if not ctx.person.may(role):
            return self.message(ctx, 403, w("forbidden_title", ctx.lang), w("forbidden", ctx.lang))
        return None

    async def signed_in_form(
        self, request: Request, ctx: Ctx, role: str = "editor"
    ) -> FormData | HTMLResponse:
        """The posted form of a person who may act as `role`, or the page that refuses them or it."""
        if refused := self.signed_in(request, ctx, role):
            return refused
        return await self.form(request, ctx)

    # -- sign-in -----------------------------------------------------------------------------
    async def sign_in_page(self, request: Request) -> Response:
        ctx = self.ctx(request)
        if request.method in ("GET", "HEAD"):
            return self.page("sign_in.html", ctx, error=None)
        form = await self.form(request, ctx)
        if isinstance(form, HTMLResponse):
            return form
        name, credential = str(form.get("name") or ""), str(form.get("credential") or "")
        outcome = await run_in_threadpool(
            self.sign_in.attempt, name, credential, request.client.host if request.client else "unknown"
        )
        if isinstance(outcome, int):
            response = self.page("sign_in.html", ctx, 429, error=w("wait", ctx.lang, n=outcome), name=name)
            response.headers["Retry-After"] = str(outcome)
            return response
        if outcome is None:
            return self.page("sign_in.html", ctx, 403, error=w("wrong", ctx.lang), name=name)
        request.session.clear()  # a new session id on sign-in (no fixation)
        request.session.update({"who": outcome.name, "stamp": outcome.stamp})
        return self.go("author")

    async def sign_out(self, request: Request) -> Response:
        ctx = self.ctx(request)
        form = await self.form(request, ctx)
        if isinstance(form, HTMLResponse):
            return form
        request.session.clear()
        return self.go("")

    # -- overview ----------------------------------------------------------------------------
    async def overview(self, request: Request) -> Response:
        ctx = self.ctx(request)
        if refused := self.signed_in(request, ctx):
            return refused
        drafts = [self.draft_row(d, ctx.lang) for d in self.drafts.all()]
        cases = [
            {
                "slug": r.slug,
                "title": self.authoring.title(r.document, ctx.lang) or r.slug,
                "state": r.state,
                "href": r.iri if r.state == "published" else None,
                "editing": self.drafts.for_slug(r.slug) is not None,
            }
            for r in self.store.list_cases(("published", "draft"))
        ]
        return self.page("overview.html", ctx, drafts=drafts, cases=list(reversed(cases)))

    def draft_row(self, draft: Draft, lang: str) -> dict:
        return {
            "id": draft.id,
            "title": self.authoring.title(draft.document, lang),
            "state": draft.state,
            "author": draft.author,
            "updated": draft.updated[:16].replace("T", " "),
            "comment": draft.comment,
        }

    # -- the case form -----------------------------------------------------------------------
    async def new_case(self, request: Request) -> Response:
        ctx = self.ctx(request)
        if refused := self.signed_in(request, ctx):
            return refused
        return self.form_page(ctx, None, {})

    def form_page(
        self,
        ctx: Ctx,
        draft: Draft | None,
        values,
        *,
        status: int = 200,
        findings=(),
        outcome: str | None = None,
        cpv_query: str = "",
        similar=None,
    ) -> HTMLResponse:
        by_name = findings_by_name(list(findings), self.fields)
        builder = FormBuilder(
            ctx.lang,
            self.settings.languages,
            values,
            by_name,
            self.authoring.case_titles(),
            cpv_search(cpv_query, ctx.lang) if cpv_query else (),
        )
        listed = [
            {
                "message": f.message,
                "severity": f.severity,
                "label": field_label(name, ctx.lang) if name else "",
                "target": first_input(name, self.fields, builder.languages) if name else "main",
            }
            for name, items in by_name.items()
            for f in items
        ]
        listed.sort(key=lambda x: x["severity"] != "Violation")
        document = draft.document if draft else {}
        return self.page(
            "form.html",
            ctx,
            status,
            draft=draft,
            widgets=builder.widgets(self.fields),
            findings=listed,
            violations=sum(1 for x in listed if x["severity"] == "Violation"),
            outcome=outcome,
            organisations=self.authoring.organisations(),
            cpv_query=cpv_query,
            similar=similar
            if similar is not None
            else self.authoring.similar(document, draft.slug if draft else None),
            may_publish=ctx.person is not None and (not self.settings.review or ctx.person.may("approver")),
            title=self.authoring.title(document, ctx.lang),
        )

    async def create_draft(self, request: Request) -> Response:
        return await self.post_form(request, None)

    async def draft_page(self, request: Request) -> Response:
        ctx = self.ctx(request)
        if refused := self.signed_in(request, ctx):
            return refused
        draft = self.drafts.get(request.path_params["draft"])
        if draft is None:
            return self.message(ctx, 404, w("not_found_title", ctx.lang), w("not_found", ctx.lang))
        if request.method == "POST":
            return await self.post_form(request, draft)
        outcome = request.query_params.get("done")
        return self.form_page(
            ctx,
            draft,
            form_from_document(draft.document, self.fields),
            outcome=outcome if outcome in ("saved", "submitted", "sent-back") else None,
        )

    async def post_form(self, request: Request, draft: Draft | None) -> Response:
        ctx = self.ctx(request)
        form = await self.signed_in_form(request, ctx)
        if isinstance(form, HTMLResponse):
            return form
        assert ctx.person is not None
        skip = ("csrf", "action", "rev", "comment", "cpv_q")
        values = {k: [v for v in form.getlist(k) if isinstance(v, str)] for k in form.keys() if k not in skip}
        action = str(form.get("action") or "save")
        document = document_from_form(values, self.fields, self.settings.languages, ctx.lang)
        sent_rev = str(form.get("rev") or "")
        rev = int(sent_rev) if ascii_digits(sent_rev) else None
        try:  # whatever happens next, what was typed is stored first
            draft = await run_in_threadpool(self.authoring.save, draft, document, ctx.person, rev)
        except DraftConflict as conflict:
            return self.page(
                "conflict.html",
                ctx,
                409,
                theirs=self.shown(conflict.current.document, ctx),
                mine=self.shown(document, ctx),
                draft=conflict.current,
                stored_case=False,
                kept=form_from_document(document, self.fields),
            )
        assert draft is not None
        if action == "cpv-search":
            return self.form_page(ctx, draft, values, cpv_query=str(form.get("cpv_q") or "")[:200])
        if action == "discard":
            self.authoring.discard(draft, ctx.person)
            return self.go("author")
        if action == "submit" and self.settings.review:
            await run_in_threadpool(self.authoring.submit, draft, ctx.person)
            return self.go(f"author/drafts/{draft.id}?done=submitted")
        if action == "send-back" and self.settings.review:
            if refused := self.signed_in(request, ctx, "approver"):
                return refused
            self.authoring.send_back(draft, ctx.person, str(form.get("comment") or ""))
            return self.go(f"author/drafts/{draft.id}?done=sent-back")
        if action in ("publish", "keep-mine"):
            if self.settings.review and (refused := self.signed_in(request, ctx, "approver")):
                return refused
            if action == "keep-mine":
                self.authoring.keep_mine(draft)
                draft = self.drafts.get(draft.id) or draft
            return await self.publish(ctx, draft, values)
        return self.go(f"author/drafts/{draft.id}?done=saved")

    async def publish(self, ctx: Ctx, draft: Draft, values) -> Response:
        assert ctx.person is not None
        result = await run_in_threadpool(self.authoring.publish, draft, ctx.person, ctx.lang)
        if isinstance(result, Refused):
            return self.form_page(ctx, draft, values, status=422, findings=result.findings, outcome="refused")
        if isinstance(result, Conflict):
            theirs = result.theirs.document
            return self.page(
                "conflict.html",
                ctx,
                409,
                theirs=self.shown(theirs, ctx),
                mine=self.shown(result.mine, ctx),
                draft=draft,
                stored_case=True,
                kept=values,
            )
        assert isinstance(result, Published)
        record = result.record
        notes = [  # advice after publishing, each named by its field's label as in the form
            f"{field_label(name, ctx.lang)}: {f.message}" if name else f.message
            for name, found in findings_by_name(result.findings, self.fields).items()
            for f in found
            if f.severity != "Violation"
        ]
        return self.page(
            "published.html",
            ctx,
            iri=record.iri,
            slug=record.slug,
            title=self.authoring.title(record.document, ctx.lang),
            notes=notes,
            version=record.version,
        )

    def shown(self, document: dict, ctx: Ctx) -> list[dict]:
        """A version for reading beside another: every field, every language (a conflict may be
        in any translation), code labels from the vocabulary as on a case page."""
        fallback = tuple(self.settings.languages)
        rows = []
        for key, value in document.items():
            if key in ("@context", "type", "id", "proof", "publisher", "issued", "modified", "version"):
                continue
            if html.is_language_map(value):
                values = [
                    {"text": f"{tag}: {', '.join(v) if isinstance(v, list) else v}", "lang": tag}
                    for tag, v in value.items()
                ]
                rows.append({"label": html.text(key, ctx.lang), "values": values})
            else:
                rows += html.rows({key: value}, (ctx.lang, fallback))
        return rows

    async def edit_case(self, request: Request) -> Response:
        ctx = self.ctx(request)
        form = await self.signed_in_form(request, ctx)
        if isinstance(form, HTMLResponse):
            return form
        assert ctx.person is not None
        slug = request.path_params["slug"]
        if self.store.get_by_slug(slug) is None:
            return self.message(ctx, 404, w("not_found_title", ctx.lang), w("not_found", ctx.lang))
        draft = await run_in_threadpool(self.authoring.edit, slug, ctx.person)
        return self.go(f"author/drafts/{draft.id}")

    async def unpublish(self, request: Request) -> Response:
        ctx = self.ctx(request)
        form = await self.signed_in_form(request, ctx, "approver" if self.settings.review else "editor")
        if isinstance(form, HTMLResponse):
            return form
        assert ctx.person is not None
        record = await run_in_threadpool(self.authoring.unpublish, request.path_params["slug"], ctx.person)
        if record is None:
            return self.message(ctx, 404, w("not_found_title", ctx.lang), w("not_found", ctx.lang))
        return self.go("author")

    # -- spreadsheets ------------------------------------------------------------------------
    async def upload(self, request: Request) -> Response:
        ctx = self.ctx(request)
        if refused := self.signed_in(request, ctx):
            return refused
        if request.method in ("GET", "HEAD"):
            return self.page("upload.html", ctx, sheet=None, error=None)
        form = await self.form(request, ctx, files=1)
        if isinstance(form, HTMLResponse):
            return form
        assert ctx.person is not None
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return self.page("upload.html", ctx, 400, sheet=None, error=w("no_file", ctx.lang))
        data = await upload.read(self.settings.max_body_bytes + 1)
        if len(data) > self.settings.max_body_bytes:
            limit = f"{self.settings.max_body_bytes:,}".replace(",", "\u00a0")
            return self.page("upload.html", ctx, 413, sheet=None, error=w("too_large", ctx.lang, n=limit))
        filename = upload.filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
        sheet = await run_in_threadpool(
            spreadsheet.preview, data, filename, ctx.lang, self.settings, self.store
        )
        if sheet.ok and sheet.valid_rows:
            self.drafts.keep_upload(sheet.digest, filename, data, ctx.person.name)
        return self.page("upload.html", ctx, 200 if sheet.ok else 422, sheet=sheet, error=None)

    async def import_sheet(self, request: Request) -> Response:
        ctx = self.ctx(request)
        form = await self.signed_in_form(request, ctx)
        if isinstance(form, HTMLResponse):
            return form
        assert ctx.person is not None
        kept = self.drafts.upload(str(form.get("digest") or ""))
        if kept is None:
            return self.page("upload.html", ctx, 410, sheet=None, error=w("upload_gone", ctx.lang))
        as_drafts = str(form.get("as") or "drafts") != "publish"
        if not as_drafts and self.settings.review and (refused := self.signed_in(request, ctx, "approver")):
            return refused
        filename, data = kept
        sheet = await run_in_threadpool(
            spreadsheet.preview, data, filename, ctx.lang, self.settings, self.store
        )
        report = await run_in_threadpool(
            spreadsheet.import_rows,
            sheet,
            self.store,
            self.settings,
            as_drafts=as_drafts,
            state=None if as_drafts else "published",
        )
        for item in report.items:
            if item.slug and item.action not in ("failed", "unchanged", "skipped"):
                self.drafts.record(
                    ctx.person.name, "imported", slug=item.slug, title=filename, detail=item.action
                )
        return self.page("imported.html", ctx, report=report, filename=filename)

    async def template(self, request: Request) -> Response:
        """The spreadsheet template in the reader's language (or ?lang=), as CSV or XLSX (?format=)."""
        ctx = self.ctx(request)
        lang = request.query_params.get("lang") or ctx.lang
        fmt = request.query_params.get("format", "xlsx")
        try:
            lang, fmt = sheet_template.checked(lang, fmt)
        except ValueError:
            return self.message(ctx, 400, w("not_found_title", ctx.lang), w("template_choice", ctx.lang))
        body = await run_in_threadpool(sheet_template.template, lang, fmt, tuple(self.settings.languages))
        media = sheet_template.MEDIA_TYPES[fmt]
        name = sheet_template.filename(lang, fmt)
        return Response(
            body,
            media_type=media,
            headers={**PAGE_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
        )

    # -- audit -------------------------------------------------------------------------------
    async def audit(self, request: Request) -> Response:
        ctx = self.ctx(request)
        if refused := self.signed_in(request, ctx, "admin"):
            return refused
        return self.page("audit.html", ctx, entries=self.drafts.audit())


def routes(settings: NodeSettings, store: NodeStore, people: People, csrf: Csrf) -> list[Route]:
    pages = AuthoringPages(settings, store, people, csrf)
    return [
        Route("/sign-in", pages.sign_in_page, methods=["GET", "HEAD", "POST"]),
        Route("/sign-out", pages.sign_out, methods=["POST"]),
        Route("/author", pages.overview, methods=["GET", "HEAD"]),
        Route("/author/new", pages.new_case, methods=["GET", "HEAD"]),
        Route("/author/drafts", pages.create_draft, methods=["POST"]),
        Route("/author/drafts/{draft:str}", pages.draft_page, methods=["GET", "HEAD", "POST"]),
        Route("/author/cases/{slug:str}/edit", pages.edit_case, methods=["POST"]),
        Route("/author/cases/{slug:str}/unpublish", pages.unpublish, methods=["POST"]),
        Route("/author/upload", pages.upload, methods=["GET", "HEAD", "POST"]),
        Route("/author/upload/import", pages.import_sheet, methods=["POST"]),
        Route("/author/template", pages.template, methods=["GET", "HEAD"]),
        Route("/author/audit", pages.audit, methods=["GET", "HEAD"]),
    ]
