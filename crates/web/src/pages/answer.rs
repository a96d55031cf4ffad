//! Answering an invitation with a signed link from its e-mail, without signing in. The
//! link's page only shows what it would answer and a button: mail scanners that fetch
//! links answer nothing. The button's post records the answer (`Store::answer_invitation`
//! with no actor, the link's signature standing for the representative). A token this
//! installation did not sign is refused like a page that does not exist; a link past the
//! session's start, or of a cancelled session, says so. As with password reset links, the
//! token travels in the query and the form, never in a path the request log records.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use cmnp_domain::meeting::{Meeting, MeetingStatus};
use cmnp_domain::rsvp::{AnswerVia, LinkClaim, Recorded};
use cmnp_domain::words::{Label, Note};
use cmnp_store::{Respondent, StoreError};
use maud::html;
use serde::Deserialize;

use super::failed;
use crate::WebState;
use crate::html::{Page, alert};
use crate::i18n::Lang;
use crate::session::Visit;

#[derive(Deserialize)]
pub(crate) struct Link {
    #[serde(default)]
    token: String,
    lang: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct Confirmation {
    #[serde(default)]
    token: String,
    #[serde(default)]
    csrf: String,
}

/// What a link leads to: its claim and session, or the page that says why it leads
/// nowhere.
enum Reached {
    Open(LinkClaim, Box<Meeting>),
    Refused(Response),
}

/// The link's page: what it answers, for whom, and the button that confirms it.
pub(crate) async fn confirm(
    State(state): State<WebState>,
    Query(link): Query<Link>,
    headers: HeaderMap,
) -> Response {
    let visit = match Visit::read(&state, &headers, link.lang.as_deref()).await {
        Ok(visit) => visit,
        Err(error) => return failed(&error, Lang::Es),
    };
    let token = link.token.trim();
    let (claim, meeting) = match reach(&state, &visit, token).await {
        Reached::Open(claim, meeting) => (claim, meeting),
        Reached::Refused(response) => return response,
    };
    let lang = visit.lang;
    let name = match state.store.representative(claim.representative_id).await {
        Ok(Some(person)) => person.name,
        Ok(None) => return invalid(&visit).respond_secret(&visit),
        Err(error) => return failed(&error, lang),
    };
    let body = html! {
        p { (meeting.heading()) }
        p { (name) }
        p id="answer-choice" { (lang.word(Label::YourAnswer)) ": " strong { (lang.word(claim.answer)) } }
        p { (lang.word(Note::ConfirmByButton)) }
        form method="post" action="/app/answer" {
            input type="hidden" name="csrf" value=(visit.csrf);
            input type="hidden" name="token" value=(token);
            p { button id="confirm-answer" type="submit" { (lang.word(Label::ConfirmAnswer)) } }
        }
    };
    Page::new(lang.word(Label::YourAnswer), body).respond_secret(&visit)
}

/// Records the link's answer; the same answer again records nothing and says so.
pub(crate) async fn record(
    State(state): State<WebState>,
    headers: HeaderMap,
    Form(input): Form<Confirmation>,
) -> Response {
    let visit = match Visit::read(&state, &headers, None).await {
        Ok(visit) => visit,
        Err(error) => return failed(&error, Lang::Es),
    };
    let lang = visit.lang;
    let token = input.token.trim();
    let (claim, meeting) = match reach(&state, &visit, token).await {
        Reached::Open(claim, meeting) => (claim, meeting),
        Reached::Refused(response) => return response,
    };
    if !visit.form_is_genuine(&headers, &input.csrf) {
        let body = alert("answer-error", lang.word(Note::FormExpired));
        let page = Page::new(lang.word(Label::YourAnswer), body).with_status(StatusCode::FORBIDDEN);
        return page.respond_secret(&visit);
    }
    let answered = state
        .store
        .answer_invitation(
            None,
            meeting.id,
            Respondent::Representative(claim.representative_id),
            claim.answer,
            AnswerVia::Link,
        )
        .await;
    match answered {
        Ok(answered) => {
            let (id, note) = match answered.recorded {
                Recorded::First => ("answer-recorded", Note::AnswerRecorded),
                Recorded::Changed(_) => ("answer-changed", Note::AnswerChanged),
                Recorded::Unchanged => ("answer-unchanged", Note::AnswerAlreadyRecorded),
            };
            let body = html! {
                p { (meeting.heading()) }
                p id=(id) { (lang.word(note)) }
                p { (lang.word(Label::YourAnswer)) ": " strong { (lang.word(claim.answer)) } }
            };
            Page::new(lang.word(Label::YourAnswer), body).respond_secret(&visit)
        }
        Err(StoreError::Invalid(_) | StoreError::NotFound(_)) => {
            closed(&visit, &meeting).respond_secret(&visit)
        }
        Err(error) => failed(&error, lang),
    }
}

/// Checks the token's signature and that its session still takes answers.
async fn reach(state: &WebState, visit: &Visit, token: &str) -> Reached {
    let key = match state.store.link_key().await {
        Ok(key) => key,
        Err(error) => return Reached::Refused(failed(&error, visit.lang)),
    };
    let Some(claim) = key.verify(token) else {
        return Reached::Refused(invalid(visit).respond_secret(visit));
    };
    let meeting = match state.store.meeting(claim.meeting_id).await {
        Ok(Some(meeting)) => meeting,
        Ok(None) => return Reached::Refused(invalid(visit).respond_secret(visit)),
        Err(error) => return Reached::Refused(failed(&error, visit.lang)),
    };
    let now = Utc::now();
    if !claim.is_live(now) || meeting.check_answerable(now).is_err() {
        return Reached::Refused(closed(visit, &meeting).respond_secret(visit));
    }
    Reached::Open(claim, Box::new(meeting))
}

/// A token this installation did not sign, or one altered: as if there were no page.
fn invalid(visit: &Visit) -> Page {
    let lang = visit.lang;
    let body = alert("answer-link-invalid", lang.word(Note::AnswerLinkInvalid));
    Page::new(lang.word(Label::NotFound), body).with_status(StatusCode::NOT_FOUND)
}

/// A genuine link of a session that no longer takes answers.
fn closed(visit: &Visit, meeting: &Meeting) -> Page {
    let lang = visit.lang;
    let note = if meeting.status == MeetingStatus::Cancelled {
        Note::SessionWasCancelled
    } else {
        Note::AnswersClosed
    };
    let body = html! {
        p { (meeting.heading()) }
        (alert("answers-closed", lang.word(note)))
    };
    Page::new(lang.word(Label::YourAnswer), body).with_status(StatusCode::GONE)
}
