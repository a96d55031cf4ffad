use super::*;

const LOOPBACK_HTTP: TargetPolicy = TargetPolicy {
    allow_loopback_http: true,
    allow_private: false,
};

#[test]
fn signatures_match_the_specification_example() {
    // The example of the Standard Webhooks specification's reference libraries.
    let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    assert_eq!(
        secret.sign(
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            r#"{"test": 2432232314}"#
        ),
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    );
}

#[test]
fn a_secret_is_shown_as_the_specification_writes_it_and_read_back() {
    let secret = Secret::from_bytes([7; 32]);
    let shown = secret.shown();
    assert!(shown.starts_with("whsec_"));
    assert_eq!(Secret::parse(&shown), Some(secret.clone()));
    assert_eq!(format!("{secret:?}"), "Secret(…)");
}

#[test]
fn public_https_urls_are_taken() {
    for url in [
        "https://hooks.example.org/cmnp",
        "https://8.8.8.8/hook",
        "https://[2606:4700::1111]/hook",
        "https://[64:ff9b::808:808]/hook",
        "https://[2002:0808:0808::1]/hook",
    ] {
        assert!(
            TargetUrl::parse(url, TargetPolicy::default()).is_ok(),
            "{url}"
        );
    }
}

#[test]
fn private_and_reserved_targets_are_refused_on_url() {
    for url in [
        "https://10.0.0.5/hook",
        "https://172.16.3.4/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://[::1]/hook",
        "https://[fd00::1]/hook",
        "https://[fe80::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://[::127.0.0.1]/hook",
        "https://[64:ff9b::a9fe:a9fe]/hook",
        "https://[64:ff9b:1::1]/hook",
        "https://[2002:c0a8:0101::1]/hook",
        "https://[2001:0:4136:e378::1]/hook",
        "https://[fec0::1]/hook",
        "https://[100::1]/hook",
        "https://[2001:2::1]/hook",
        "https://[2001:db8::1]/hook",
    ] {
        let error = TargetUrl::parse(url, TargetPolicy::default()).unwrap_err();
        assert_eq!(error.field, "url", "{url}");
        assert!(
            error.message.contains("private"),
            "{url}: {}",
            error.message
        );
    }
}

#[test]
fn plain_http_is_taken_only_to_loopback_and_only_when_allowed() {
    assert!(TargetUrl::parse("http://127.0.0.1:9000/hook", TargetPolicy::default()).is_err());
    assert!(TargetUrl::parse("http://127.0.0.1:9000/hook", LOOPBACK_HTTP).is_ok());
    assert!(TargetUrl::parse("http://localhost:9000/hook", LOOPBACK_HTTP).is_ok());
    for url in ["http://example.org/hook", "http://10.0.0.1/hook"] {
        let error = TargetUrl::parse(url, LOOPBACK_HTTP).unwrap_err();
        assert!(
            error.message.contains("https://"),
            "{url}: {}",
            error.message
        );
    }
}

#[test]
fn other_schemes_credentials_and_garbage_are_refused() {
    for url in [
        "ftp://example.org/x",
        "file:///etc/passwd",
        "https://user:pass@example.org/",
        "not a url",
        "",
    ] {
        assert_eq!(
            TargetUrl::parse(url, TargetPolicy::default())
                .unwrap_err()
                .field,
            "url",
            "{url}"
        );
    }
}

#[test]
fn private_targets_are_taken_when_the_service_allows_them() {
    let policy = TargetPolicy {
        allow_loopback_http: false,
        allow_private: true,
    };
    assert!(TargetUrl::parse("https://10.0.0.5/hook", policy).is_ok());
    assert!(TargetUrl::parse("http://10.0.0.5/hook", policy).is_err());
}

#[test]
fn topics_are_checked_and_kept_once() {
    assert_eq!(
        check_topics(&[Topic::ActionItem, Topic::ActionItem, Topic::ProjectReported]).unwrap(),
        vec![Topic::ActionItem, Topic::ProjectReported]
    );
    assert_eq!(check_topics(&[]).unwrap_err().field, "events");
    assert_eq!(check_topics(&[Topic::Access]).unwrap_err().field, "events");
}
