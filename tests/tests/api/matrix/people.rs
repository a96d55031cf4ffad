//! The policy of the mutations on people: sessions, agencies and their representatives,
//! users, their passwords and tokens, and the outbox's dead letters.

use cmnp_server::demo;
use serde_json::json;

use super::{A, B, F, MIMP, NOT_AN_ID, NotFound, Rule, U, call, rule};

pub(super) fn people_mutations() -> Vec<Rule> {
    vec![
        rule("login", [A; 6], |s| {
            call(
                &s.token,
                "mutation ($email: String!, $password: String!) {
                    login(input: { email: $email, password: $password }) { token } }",
                json!({ "email": s.actor.user().unwrap_or(MIMP), "password": demo::DEMO_PASSWORD }),
            )
        })
        // A malformed address is a wrong one: `login` answers it as every failed sign-in,
        // UNAUTHENTICATED without saying what was wrong. Each actor tries its own address,
        // so that none gathers the failures that would throttle it.
        .invalid_answering([U; 6], |s| {
            call(
                &s.token,
                "mutation ($email: String!, $password: String!) {
                    login(input: { email: $email, password: $password }) { token } }",
                json!({ "email": format!("sin-arroba-{}", s.n), "password": demo::DEMO_PASSWORD }),
            )
        }),
        rule("logout", [U, A, A, A, A, A], |s| {
            call(&s.spare_session, "mutation { logout }", json!({}))
        })
        .nothing_invalid("it takes no input"),
        rule("createAgency", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($acronym: String!) {
                    createAgency(input: { acronym: $acronym, name: \"Agencia de prueba\" }) { agency { id } } }",
                json!({ "acronym": format!("MATRIZ-{}", s.n) }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($acronym: String!) {
                    createAgency(input: { acronym: $acronym, name: \"\" }) { agency { id } } }",
                json!({ "acronym": format!("MATRIZ-{}", s.n) }),
            )
        }),
        rule("updateAgency", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateAgency(input: { id: $id, active: true }) { agency { id } } }",
                json!({ "id": s.demo.mimp }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateAgency(input: { id: $id, name: \"\" }) { agency { id } } }",
                json!({ "id": s.demo.mimp }),
            )
        }),
        rule("addRepresentative", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($agency: ID!, $email: String!) { addRepresentative(input: {
                    agencyId: $agency, name: \"Representante de prueba\", email: $email }) { representative { id } } }",
                json!({ "agency": s.demo.mimp, "email": format!("matriz{}@mimp.example", s.n) }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($agency: ID!) { addRepresentative(input: {
                    agencyId: $agency, name: \"Representante de prueba\", email: \"no es un correo\" }) { representative { id } } }",
                json!({ "agency": s.demo.mimp }),
            )
        }),
        rule("updateRepresentative", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateRepresentative(input: {
                    id: $id, position: \"Especialista en trata de personas\" }) { representative { id } } }",
                json!({ "id": s.demo.representative }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateRepresentative(input: {
                    id: $id, email: \"no es un correo\" }) { representative { id } } }",
                json!({ "id": s.demo.representative }),
            )
        }),
        rule("removeRepresentative", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { removeRepresentative(input: { id: $id }) { representative { id } } }",
                json!({ "id": s.demo.removable }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { removeRepresentative(input: { id: $id }) { representative { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        rule("createCalendarFeed", [U, A, A, A, A, A], |s| {
            call(
                &s.token,
                "mutation { createCalendarFeed(input: {}) { url } }",
                json!({}),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation { createCalendarFeed(input: { name: \"\" }) { url } }",
                json!({}),
            )
        }),
        rule("createUser", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($email: String!, $agency: ID!) { createUser(input: { email: $email,
                    name: \"Usuaria de prueba\", role: AGENCY, agencyId: $agency,
                    password: \"una clave de prueba\" }) { user { id } } }",
                json!({ "email": format!("matriz{}@cmnp.example", s.n), "agency": s.demo.mimp }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($agency: ID!) { createUser(input: { email: \"no es un correo\",
                    name: \"Usuaria de prueba\", role: AGENCY, agencyId: $agency,
                    password: \"una clave de prueba\" }) { user { id } } }",
                json!({ "agency": s.demo.mimp }),
            )
        }),
        rule("updateUser", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateUser(input: { id: $id, locale: EN }) { user { id } } }",
                json!({ "id": s.demo.leaving }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateUser(input: { id: $id, name: \"\" }) { user { id } } }",
                json!({ "id": s.demo.leaving }),
            )
        }),
        rule("deactivateUser", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { deactivateUser(input: { id: $id }) { user { id } } }",
                json!({ "id": s.demo.leaving }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { deactivateUser(input: { id: $id }) { user { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        rule("reactivateUser", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { reactivateUser(input: { id: $id }) { user { id } } }",
                json!({ "id": s.demo.leaving }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { reactivateUser(input: { id: $id }) { user { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        rule("requestPasswordReset", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { requestPasswordReset(input: { userId: $id }) { expiresAt } }",
                json!({ "id": s.demo.leaving }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { requestPasswordReset(input: { userId: $id }) { expiresAt } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        // Whoever holds a reset link sets the password with it, signed in or not. A password
        // too short is refused before the link is used, which keeps working.
        rule("resetPassword", [A; 6], |s| {
            call(
                &s.token,
                "mutation ($token: String!) { resetPassword(input: { token: $token,
                    newPassword: \"una clave nueva de prueba\" }) { email } }",
                json!({ "token": s.reset_link }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($token: String!) { resetPassword(input: { token: $token,
                    newPassword: \"corta\" }) { email } }",
                json!({ "token": s.reset_link }),
            )
        }),
        // Everyone signed in changes their own password (here to the same one, keeping
        // their other sessions, which later rows use).
        rule("changePassword", [U, A, A, A, A, A], |s| {
            call(
                &s.token,
                "mutation ($password: String!) { changePassword(input: { currentPassword: $password,
                    newPassword: $password, signOutElsewhere: false }) { user { id } } }",
                json!({ "password": demo::DEMO_PASSWORD }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($password: String!) { changePassword(input: { currentPassword: $password,
                    newPassword: \"corta\", signOutElsewhere: false }) { user { id } } }",
                json!({ "password": demo::DEMO_PASSWORD }),
            )
        }),
        // Only the secretariat manages other users' tokens; another user's token is not
        // even acknowledged to exist.
        rule("createApiToken", [U, A, F, A, A, A], |s| {
            call(
                &s.token,
                "mutation ($user: ID!) { createApiToken(input: { userId: $user, name: \"matriz\" }) { token } }",
                json!({ "user": s.owner }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($user: ID!) { createApiToken(input: { userId: $user, name: \"\" }) { token } }",
                json!({ "user": s.owner }),
            )
        }),
        // The token's id is all the input: one that is not an id names no token, so there
        // is no other user's token to hide from the agency refused on one.
        rule("revokeApiToken", [U, A, NotFound, A, A, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { revokeApiToken(input: { id: $id }) { apiToken { id } } }",
                json!({ "id": s.api_token }),
            )
        })
        .invalid_answering([U, B, B, B, B, B], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { revokeApiToken(input: { id: $id }) { apiToken { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        rule("retryEmailDelivery", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { retryEmailDelivery(input: { id: $id }) { emailDelivery { id } } }",
                json!({ "id": s.demo.dead_letter }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { retryEmailDelivery(input: { id: $id }) { emailDelivery { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        rule("createWebhook", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation { createWebhook(input: { url: \"https://hooks.example.org/matrix\", events: [PROJECT_REPORTED] }) { webhook { id } secret } }",
                json!({}),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation { createWebhook(input: { url: \"https://10.0.0.5/hook\", events: [PROJECT_REPORTED] }) { webhook { id } } }",
                json!({}),
            )
        }),
        rule("removeWebhook", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { removeWebhook(input: { id: $id }) { webhook { id } } }",
                json!({ "id": s.demo.webhook }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { removeWebhook(input: { id: $id }) { webhook { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        rule("retryWebhookDelivery", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { retryWebhookDelivery(input: { id: $id }) { webhookDelivery { id } } }",
                json!({ "id": s.demo.dead_webhook_delivery }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { retryWebhookDelivery(input: { id: $id }) { webhookDelivery { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
    ]
}
