use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use cmnp_domain::representative;

use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::loaders::AgencyById;
use crate::scalars::Date;
use crate::types::enums::{Language, RepresentativeKind};
use crate::types::{Agency, id};

/// A person designated by an agency to the commission.
pub struct Representative(representative::Representative);

impl Representative {
    pub(crate) fn reveal(
        ctx: &Context<'_>,
        value: representative::Representative,
    ) -> ApiResult<Self> {
        ctx.reveal(value).map(Self)
    }
}

#[Object]
impl Representative {
    pub(crate) async fn id(&self) -> ID {
        id(self.0.id)
    }

    async fn agency(&self, ctx: &Context<'_>) -> ApiResult<Agency> {
        let agency = ctx
            .loader()?
            .load_one(AgencyById(self.0.agency_id))
            .await?
            .ok_or_else(|| ApiError::internal(&"representative without agency"))?;
        Agency::reveal(ctx, agency)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    async fn position(&self) -> Option<&str> {
        self.0.position.as_deref()
    }

    async fn kind(&self) -> RepresentativeKind {
        self.0.kind.into()
    }

    async fn mandate_start(&self) -> Option<Date> {
        self.0.mandate_start.map(Date)
    }

    async fn mandate_end(&self) -> Option<Date> {
        self.0.mandate_end.map(Date)
    }

    /// Reference of the document that designated this representative.
    async fn designation_ref(&self) -> Option<&str> {
        self.0.designation_ref.as_deref()
    }

    /// The language this representative reads cmnp's messages in.
    async fn language(&self) -> Language {
        self.0.language.into()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}
