//! Webhooks: endpoints the secretariat registers to hear of changes, and the signed
//! deliveries made to them (the Standard Webhooks specification: `webhook-id`,
//! `webhook-timestamp` and `webhook-signature` headers, HMAC-SHA256 over
//! `id.timestamp.payload`). Deliveries follow the e-mail outbox's rules: retried with
//! [`crate::outbox::backoff`], dead after [`crate::outbox::MAX_ATTEMPTS`], retried by
//! hand only when dead.

use std::net::IpAddr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use uuid::Uuid;

use crate::ValidationError;
use crate::live::Topic;
use crate::outbox::DeliveryStatus;

/// The prefix of a secret as shown to the secretariat, as the specification writes it.
const SECRET_PREFIX: &str = "whsec_";

/// The longest URL an endpoint may have.
const MAX_URL: usize = 2_000;

/// A registered endpoint. Its secret is shown once, when it is created, and never read
/// back through the API.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub id: Uuid,
    pub url: String,
    pub topics: Vec<Topic>,
    /// When set, only changes about objects that concern this agency are delivered
    /// ([`crate::live::Concerns`]); otherwise every change of the chosen topics.
    pub agency_scope_id: Option<Uuid>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

/// Which targets the service may deliver to, beyond public `https://` addresses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TargetPolicy {
    /// `http://` to a loopback address (a receiver on the same machine).
    pub allow_loopback_http: bool,
    /// Private, loopback, link-local and other non-public addresses over `https://`.
    pub allow_private: bool,
}

impl TargetPolicy {
    /// Whether the service may connect to `address` for a URL of `scheme`: a public
    /// address over `https`; a loopback address over `http` only with
    /// `allow_loopback_http`; any other non-public address only with `allow_private`.
    pub fn allows(self, scheme: &str, address: IpAddr) -> bool {
        let loopback = address.is_loopback();
        match scheme {
            "http" => loopback && self.allow_loopback_http,
            "https" => {
                is_public(address) || self.allow_private || (loopback && self.allow_loopback_http)
            }
            _ => false,
        }
    }
}

/// Whether an address is one anyone on the internet reaches: not loopback, private
/// (RFC 1918, unique local, site-local), link-local, shared (RFC 6598), unspecified,
/// broadcast, multicast, documentation, benchmarking, discard, Teredo, local NAT64 or
/// reserved. An IPv6 address that carries an IPv4 one (mapped, compatible, NAT64,
/// 6to4) is judged by the IPv4 address it reaches.
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && v4.octets()[2] == 0)
                || (a == 198 && (b == 18 || b == 19)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let [a, b, c, d, e, f, g, h] = v6.segments();
            let embedded = |high: u16, low: u16| {
                let [w, x] = high.to_be_bytes();
                let [y, z] = low.to_be_bytes();
                is_public(IpAddr::V4(std::net::Ipv4Addr::new(w, x, y, z)))
            };
            // Addresses that carry an IPv4 address reach it: that address decides.
            let ipv4_compatible = [a, b, c, d, e, f] == [0; 6] && !(g == 0 && h <= 1);
            let nat64 = [a, b, c, d, e, f] == [0x64, 0xff9b, 0, 0, 0, 0];
            if ipv4_compatible || nat64 {
                return embedded(g, h);
            }
            if a == 0x2002 {
                // 6to4.
                return embedded(b, c);
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (a & 0xfe00) == 0xfc00
                || (a & 0xffc0) == 0xfe80
                || (a & 0xffc0) == 0xfec0
                || (a == 0x2001 && (b == 0x0db8 || b == 0 || b == 2 || (b & 0xfff0) == 0x10))
                || (a == 0x64 && b == 0xff9b && c == 1)
                || (a == 0x100 && [b, c, d] == [0; 3]))
        }
    }
}

/// An endpoint's URL, checked: `https://` (or `http://` to loopback where allowed), a
/// host, no credentials, and a literal address only where `policy` allows it. A host
/// name is checked again against each address it resolves to, when delivering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetUrl(url::Url);

impl TargetUrl {
    pub fn parse(text: &str, policy: TargetPolicy) -> Result<Self, ValidationError> {
        let invalid = |message: &str| ValidationError::new("url", message);
        let text = text.trim();
        if text.len() > MAX_URL {
            return Err(invalid("is longer than 2000 characters"));
        }
        let url =
            url::Url::parse(text).map_err(|error| invalid(&format!("is not a URL: {error}")))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("must not carry a user name or password"));
        }
        let scheme = url.scheme();
        if scheme != "https" && scheme != "http" {
            return Err(invalid("must start with https://"));
        }
        let address = match url.host() {
            None => return Err(invalid("has no host")),
            Some(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
            Some(url::Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
            Some(url::Host::Domain(name)) => {
                let name = name.trim_end_matches('.').to_ascii_lowercase();
                (name == "localhost" || name.ends_with(".localhost"))
                    .then_some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST))
            }
        };
        match address {
            Some(address) if !policy.allows(scheme, address) => Err(invalid(if scheme == "http" {
                "must start with https:// (http:// is allowed only to loopback, when the service allows it)"
            } else {
                "names a private, loopback or reserved address, which the service does not deliver to"
            })),
            None if scheme == "http" => Err(invalid(
                "must start with https:// (http:// is allowed only to loopback, when the service allows it)",
            )),
            _ => Ok(Self(url)),
        }
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn scheme(&self) -> &str {
        self.0.scheme()
    }

    /// The host to resolve, without brackets around an IPv6 literal.
    pub fn host(&self) -> Option<String> {
        match self.0.host()? {
            url::Host::Domain(name) => Some(name.to_owned()),
            url::Host::Ipv4(v4) => Some(v4.to_string()),
            url::Host::Ipv6(v6) => Some(v6.to_string()),
        }
    }

    pub fn port(&self) -> Option<u16> {
        self.0.port_or_known_default()
    }
}

/// The topics an endpoint listens to: at least one, each once, and only those that are
/// delivered.
pub fn check_topics(topics: &[Topic]) -> Result<Vec<Topic>, ValidationError> {
    let mut chosen: Vec<Topic> = Vec::new();
    for topic in topics {
        if topic.event_type().is_none() {
            return Err(ValidationError::new(
                "events",
                format!("{topic} is not delivered to webhooks"),
            ));
        }
        if !chosen.contains(topic) {
            chosen.push(*topic);
        }
    }
    if chosen.is_empty() {
        return Err(ValidationError::new("events", "choose at least one event"));
    }
    Ok(chosen)
}

/// An endpoint's signing secret: 32 random bytes, shown as `whsec_` and their base64.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes.to_vec())
    }

    /// Reads a secret as [`Secret::shown`] writes it.
    pub fn parse(text: &str) -> Option<Self> {
        let encoded = text.strip_prefix(SECRET_PREFIX).unwrap_or(text);
        STANDARD
            .decode(encoded)
            .ok()
            .filter(|b| !b.is_empty())
            .map(Self)
    }

    /// `whsec_` and the key in base64, as receivers' libraries take it.
    pub fn shown(&self) -> String {
        format!("{SECRET_PREFIX}{}", STANDARD.encode(&self.0))
    }

    /// The `webhook-signature` header's value for one attempt: `v1,` and the base64 of
    /// HMAC-SHA256 over `{id}.{timestamp}.{payload}`.
    pub fn sign(&self, id: &str, timestamp: i64, payload: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(payload.as_bytes());
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

/// The body of a webhook event: `type`, `timestamp` (of the change) and `data`.
pub fn payload(event_type: &str, at: DateTime<Utc>, data: &serde_json::Value) -> String {
    serde_json::json!({
        "type": event_type,
        "timestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "data": data,
    })
    .to_string()
}

/// The `webhook-id` of an event: the change's id, the same on every attempt and every
/// replica, so a receiver drops what it has seen.
pub fn message_id(change_id: Uuid) -> String {
    format!("msg_{}", change_id.simple())
}

/// One event on its way to one endpoint.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDelivery {
    pub id: Uuid,
    pub webhook_id: Uuid,
    pub event_type: String,
    /// The `webhook-id` header it carries.
    pub message_id: String,
    pub payload: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl WebhookDelivery {
    /// Only dead letters are retried by hand, as with e-mail, so nothing delivered is
    /// delivered again by a retry.
    pub fn check_retry(&self) -> Result<(), ValidationError> {
        if self.status == DeliveryStatus::Dead {
            Ok(())
        } else {
            Err(ValidationError::new(
                "id",
                format!("only dead letters are retried; this one is {}", self.status),
            ))
        }
    }
}

#[cfg(test)]
mod tests;
