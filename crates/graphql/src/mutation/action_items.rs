use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use cmnp_domain::ValidationError;
use cmnp_domain::action_item::{ActionItemUpdate, NewActionItem, check_planner};
use cmnp_domain::policy::Permission;

use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::scalars::Date;
use crate::types::enums::ActionItemStatus;
use crate::types::{ActionItem, parse_id};

#[derive(Default)]
pub struct ActionItemMutations;

/// An action item to create with an agreement.
#[derive(InputObject)]
pub struct NewActionItemInput {
    pub title: String,
    pub description: Option<String>,
    pub responsible_agency_id: ID,
    pub supporting_agency_ids: Option<Vec<ID>>,
    pub due_on: Date,
}

impl NewActionItemInput {
    /// Validates the item; errors name the field under `prefix` ("actionItems[0].").
    pub(crate) fn parse(self, prefix: &str) -> ApiResult<NewActionItem> {
        let field = |name: &str| format!("{prefix}{name}");
        let responsible = parse_id(&field("responsibleAgencyId"), &self.responsible_agency_id)?;
        let supporting = self
            .supporting_agency_ids
            .unwrap_or_default()
            .iter()
            .map(|id| parse_id(&field("supportingAgencyIds"), id))
            .collect::<ApiResult<Vec<_>>>()?;
        NewActionItem::parse(
            &self.title,
            self.description.as_deref(),
            responsible,
            supporting,
            self.due_on.0,
        )
        .map_err(|error: ValidationError| {
            let name = error.field.clone();
            ApiError::from(error.in_field(field(&name)))
        })
    }
}

#[derive(InputObject)]
pub struct CreateActionItemInput {
    pub title: String,
    pub description: Option<String>,
    pub responsible_agency_id: ID,
    pub supporting_agency_ids: Option<Vec<ID>>,
    pub due_on: Date,
    pub agreement_id: Option<ID>,
    pub project_id: Option<ID>,
}

#[derive(InputObject)]
pub struct UpdateActionItemInput {
    pub id: ID,
    /// The `version` you read; a stale one gets CONFLICT and nothing changes.
    pub expected_version: i32,
    pub status: Option<ActionItemStatus>,
    pub progress_percent: Option<i32>,
    pub note: Option<String>,
    pub evidence_url: Option<String>,
    /// Secretariat only.
    pub due_on: Option<Date>,
    /// Secretariat only.
    pub responsible_agency_id: Option<ID>,
}

#[derive(InputObject)]
pub struct CancelActionItemInput {
    pub id: ID,
    pub expected_version: i32,
    pub reason: String,
}

#[derive(SimpleObject)]
pub struct ActionItemPayload {
    pub action_item: ActionItem,
}

#[Object]
impl ActionItemMutations {
    /// Creates an action item directly. Secretariat only.
    async fn create_action_item(
        &self,
        ctx: &Context<'_>,
        input: CreateActionItemInput,
    ) -> ApiResult<ActionItemPayload> {
        let actor = ctx.require(Permission::ManageActionItems)?;
        let agreement_id = input
            .agreement_id
            .as_ref()
            .map(|id| parse_id("agreementId", id))
            .transpose()?;
        let project_id = input
            .project_id
            .as_ref()
            .map(|id| parse_id("projectId", id))
            .transpose()?;
        let mut new = NewActionItemInput {
            title: input.title,
            description: input.description,
            responsible_agency_id: input.responsible_agency_id,
            supporting_agency_ids: input.supporting_agency_ids,
            due_on: input.due_on,
        }
        .parse("")?;
        new.agreement_id = agreement_id;
        new.project_id = project_id;
        let item = ctx
            .store()?
            .create_action_item(Some(&actor), new, ctx.settings()?.today())
            .await?;
        Ok(ActionItemPayload {
            action_item: ActionItem::reveal(ctx, item)?,
        })
    }

    /// Updates status, progress, notes and evidence (the responsible agency; supporting
    /// agencies add notes and evidence), or plan fields (the secretariat).
    async fn update_action_item(
        &self,
        ctx: &Context<'_>,
        input: UpdateActionItemInput,
    ) -> ApiResult<ActionItemPayload> {
        let actor = ctx.require(Permission::UpdateActionItems)?;
        // The plan is the secretariat's: whoever else names a due date or a responsible
        // agency is refused before either is read.
        check_planner(
            input.due_on.is_some() || input.responsible_agency_id.is_some(),
            &actor,
        )?;
        let id = parse_id("id", &input.id)?;
        let update = ActionItemUpdate {
            status: input.status.map(Into::into),
            progress_percent: input.progress_percent,
            note: input.note,
            evidence_url: input.evidence_url,
            due_on: input.due_on.map(|d| d.0),
            responsible_agency_id: input
                .responsible_agency_id
                .as_ref()
                .map(|id| parse_id("responsibleAgencyId", id))
                .transpose()?,
        };
        let item = ctx
            .store()?
            .update_action_item(
                &actor,
                id,
                input.expected_version,
                update,
                ctx.settings()?.today(),
            )
            .await?;
        Ok(ActionItemPayload {
            action_item: ActionItem::reveal(ctx, item)?,
        })
    }

    /// Cancels an action item, with a reason. Secretariat only.
    async fn cancel_action_item(
        &self,
        ctx: &Context<'_>,
        input: CancelActionItemInput,
    ) -> ApiResult<ActionItemPayload> {
        let actor = ctx.require(Permission::ManageActionItems)?;
        let item = ctx
            .store()?
            .cancel_action_item(
                &actor,
                parse_id("id", &input.id)?,
                input.expected_version,
                &input.reason,
            )
            .await?;
        Ok(ActionItemPayload {
            action_item: ActionItem::reveal(ctx, item)?,
        })
    }
}
