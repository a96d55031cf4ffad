// Starts GraphiQL on the page's own /graphql, with the editor for request headers open
// to the bearer token (kept in the browser's storage between visits).
const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
const defaultQuery = `# Sign in first, then put the token under Headers below as
#   {"Authorization": "Bearer <token>"}
#
# mutation { login(input: { email: "secretaria@cmnp.example", password: "…" }) { token } }

query Agencies {
  agencies(first: 10) {
    totalCount
    edges { node { acronym name membership votes } }
  }
}
`;
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
  }),
);
