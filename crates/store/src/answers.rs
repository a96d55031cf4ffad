//! Invitees' answers to invitations, and the installation's key for the links that carry
//! them.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::Utc;
use cmnp_domain::ValidationError;
use cmnp_domain::audit::changes;
use cmnp_domain::meeting::Meeting;
use cmnp_domain::policy::{Actor, check_responder};
use cmnp_domain::representative::Representative;
use cmnp_domain::rsvp::{self, Answer, AnswerVia, InvitationAnswer, KEY_BYTES, LinkKey, Recorded};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{installation_secret, invitation_answer, representative, user};
use crate::error::column;
use crate::meetings::lock;
use crate::{Store, StoreError};

/// The name the link key is kept under.
const LINK_KEY: &str = "rsvp_link_key";

/// Whose answer it is.
#[derive(Debug, Clone)]
pub enum Respondent {
    /// A representative, by id.
    Representative(Uuid),
    /// The representative of the signed-in user's agency with the user's own address.
    SignedInUser,
    /// The representative of an invited agency with this address (an iCalendar
    /// `ATTENDEE`).
    Address(String),
}

/// An answer as recorded, with the session and what recording it did.
#[derive(Debug, Clone)]
pub struct Answered {
    pub meeting: Meeting,
    pub representative: Representative,
    pub answer: InvitationAnswer,
    pub recorded: Recorded,
}

impl Store {
    /// The installation's key for answer links, made at first use: of replicas that
    /// start together, the first insert wins and every one reads the same key back.
    pub async fn link_key(&self) -> Result<LinkKey, StoreError> {
        link_key(&self.db).await
    }

    /// Records `answer` for `respondent` to the session's invitation. `actor` is who
    /// answers through the API (checked with [`check_responder`] before anything else
    /// about the answer); `None` is a signed link whose signature the caller checked. The
    /// same answer again records nothing; another one replaces it until the session
    /// starts.
    pub async fn answer_invitation(
        &self,
        actor: Option<&Actor>,
        meeting_id: Uuid,
        respondent: Respondent,
        answer: Answer,
        via: AnswerVia,
    ) -> Result<Answered, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let meeting = lock(&txn, meeting_id).await?;
        let person = find_respondent(&txn, &meeting, actor, respondent).await?;
        match actor {
            Some(actor) => check_responder(&meeting, person.agency_id, actor)?,
            None if !meeting.invites(person.agency_id) => {
                return Err(ValidationError::new(
                    "representativeId",
                    "the representative's agency is not invited to this session",
                )
                .into());
            }
            None => {}
        }
        meeting.check_answerable(now)?;
        let before = invitation_answer::Entity::find_by_id((meeting_id, person.id))
            .one(&txn)
            .await?
            .as_ref()
            .map(to_domain)
            .transpose()?;
        let recorded = rsvp::record(before.as_ref().map(|b| b.answer), answer);
        if let (Recorded::Unchanged, Some(before)) = (recorded, before.clone()) {
            return Ok(Answered {
                meeting,
                representative: person,
                answer: before,
                recorded,
            });
        }
        let after = InvitationAnswer {
            meeting_id,
            representative_id: person.id,
            agency_id: person.agency_id,
            answer,
            via,
            answered_at: now,
        };
        invitation_answer::Entity::insert(invitation_answer::ActiveModel {
            meeting_id: Set(meeting_id),
            representative_id: Set(person.id),
            agency_id: Set(person.agency_id),
            answer: Set(answer.as_str().to_owned()),
            via: Set(via.as_str().to_owned()),
            answered_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([
                invitation_answer::Column::MeetingId,
                invitation_answer::Column::RepresentativeId,
            ])
            .update_columns([
                invitation_answer::Column::AgencyId,
                invitation_answer::Column::Answer,
                invitation_answer::Column::Via,
                invitation_answer::Column::AnsweredAt,
            ])
            .to_owned(),
        )
        .exec(&txn)
        .await?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "meeting.answer",
                object_type: "meeting",
                object_id: meeting_id,
                changes: changes(before.as_ref(), Some(&after)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(Answered {
            meeting,
            representative: person,
            answer: after,
            recorded,
        })
    }

    /// The answers to these sessions' invitations, by session and representative.
    pub async fn answers_of(
        &self,
        meeting_ids: &[Uuid],
    ) -> Result<Vec<InvitationAnswer>, StoreError> {
        answers_of(&self.db, meeting_ids).await
    }
}

pub(crate) async fn answers_of<C: ConnectionTrait>(
    db: &C,
    meeting_ids: &[Uuid],
) -> Result<Vec<InvitationAnswer>, StoreError> {
    invitation_answer::Entity::find()
        .filter(invitation_answer::Column::MeetingId.is_in(meeting_ids.iter().copied()))
        .order_by_asc(invitation_answer::Column::MeetingId)
        .order_by_asc(invitation_answer::Column::RepresentativeId)
        .all(db)
        .await?
        .iter()
        .map(to_domain)
        .collect()
}

pub(crate) async fn link_key<C: ConnectionTrait>(db: &C) -> Result<LinkKey, StoreError> {
    if let Some(key) = stored_key(db).await? {
        return Ok(key);
    }
    let mut bytes = [0u8; KEY_BYTES];
    OsRng.fill_bytes(&mut bytes);
    installation_secret::Entity::insert(installation_secret::ActiveModel {
        name: Set(LINK_KEY.to_owned()),
        secret: Set(LinkKey::new(bytes).encode()),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(installation_secret::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    stored_key(db)
        .await?
        .ok_or_else(|| StoreError::Internal(format!("installation_secrets.{LINK_KEY}")))
}

async fn stored_key<C: ConnectionTrait>(db: &C) -> Result<Option<LinkKey>, StoreError> {
    let Some(row) = installation_secret::Entity::find_by_id(LINK_KEY.to_owned())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    LinkKey::decode(&row.secret)
        .map(Some)
        .ok_or_else(|| StoreError::Internal(format!("installation_secrets.{LINK_KEY}")))
}

async fn find_respondent<C: ConnectionTrait>(
    db: &C,
    meeting: &Meeting,
    actor: Option<&Actor>,
    respondent: Respondent,
) -> Result<Representative, StoreError> {
    let found = match respondent {
        Respondent::Representative(id) => representative::Entity::find_by_id(id).one(db).await?,
        Respondent::SignedInUser => match actor.map(|a| (a.user_id, a.agency_id)) {
            Some((user_id, Some(agency_id))) => {
                let email = user::Entity::find_by_id(user_id)
                    .one(db)
                    .await?
                    .map(|u| u.email)
                    .unwrap_or_default();
                by_address(db, &[agency_id], &email).await?
            }
            _ => None,
        },
        Respondent::Address(email) => by_address(db, &meeting.invited_agency_ids, &email).await?,
    };
    // Only a representative in mandate answers, as only they are sent the links.
    let today = cmnp_domain::meeting::local_date(chrono::Utc::now(), meeting.zone());
    let message = "name a current representative of an invited agency";
    found
        .map(crate::representatives::to_domain)
        .transpose()?
        .filter(|person| person.is_current(today))
        .ok_or_else(|| ValidationError::new("representativeId", message).into())
}

async fn by_address<C: ConnectionTrait>(
    db: &C,
    agency_ids: &[Uuid],
    email: &str,
) -> Result<Option<representative::Model>, StoreError> {
    let email = email.trim();
    Ok(representative::Entity::find()
        .filter(representative::Column::AgencyId.is_in(agency_ids.iter().copied()))
        .order_by_asc(representative::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .find(|person| person.email.eq_ignore_ascii_case(email)))
}

fn to_domain(row: &invitation_answer::Model) -> Result<InvitationAnswer, StoreError> {
    Ok(InvitationAnswer {
        meeting_id: row.meeting_id,
        representative_id: row.representative_id,
        agency_id: row.agency_id,
        answer: column(&row.answer, "invitation_answers.answer")?,
        via: column(&row.via, "invitation_answers.via")?,
        answered_at: row.answered_at,
    })
}
