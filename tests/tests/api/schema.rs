use std::path::PathBuf;

/// `schema.graphql` must be exactly the served schema. When it is not, the test rewrites
/// it and fails, so that the change shows up in review.
#[test]
fn schema_file_matches_the_served_schema() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql");
    let served = cmnp_graphql::sdl();
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    if on_disk != served {
        std::fs::write(&path, &served).expect("rewrite schema.graphql");
        panic!("schema.graphql was out of date and has been rewritten; commit it");
    }
}

#[test]
fn schema_has_the_contract_names() {
    let sdl = cmnp_graphql::sdl();
    for name in [
        "me: User",
        "agencies(first: Int, after: String, filter: AgencyFilter): AgencyConnection!",
        "agency(id: ID, acronym: String): Agency",
        "login(input: LoginInput!): LoginPayload!",
        "logout: Boolean!",
        "createAgency(input: CreateAgencyInput!): CreateAgencyPayload!",
        "updateAgency(input: UpdateAgencyInput!): UpdateAgencyPayload!",
        "addRepresentative(input: AddRepresentativeInput!)",
        "updateRepresentative(input: UpdateRepresentativeInput!)",
        "removeRepresentative(input: RemoveRepresentativeInput!)",
        "createUser(input: CreateUserInput!)",
        "createApiToken(input: CreateApiTokenInput!)",
        "revokeApiToken(input: RevokeApiTokenInput!)",
        "scalar DateTime",
        "scalar Date",
    ] {
        assert!(sdl.contains(name), "the schema lacks {name:?}");
    }
}
