// Checks Koppel's local API with openid-client, a certified OpenID Connect
// relying-party library: OIDC discovery, the client credentials grant with
// the Secret in HTTP Basic and in the body, a call to a protected resource,
// and the refusal of a wrong Secret.
//
//   node run.mjs http://127.0.0.1:8642 ak_… sk_…
//
// Exits 0 when every check passes and prints one line per check; the Secret
// and tokens are never printed.
import * as client from 'openid-client';

const [serverArg, clientId, clientSecret] = process.argv.slice(2);
if (!serverArg || !clientId || !clientSecret) {
  console.error('usage: node run.mjs SERVER_URL CLIENT_ID CLIENT_SECRET');
  process.exit(2);
}
const server = new URL(serverArg);
// The API listens on loopback over plain HTTP.
const options = { execute: [client.allowInsecureRequests] };

function check(ok, what) {
  if (!ok) throw new Error(`check failed: ${what}`);
  console.log(`ok - ${what}`);
}

async function main() {
  for (const [name, auth] of [['client_secret_basic', client.ClientSecretBasic()], ['client_secret_post', client.ClientSecretPost()]]) {
    const config = await client.discovery(server, clientId, clientSecret, auth, options);
    const meta = config.serverMetadata();
    check(meta.token_endpoint === new URL('/connect/token', server).href, `discovery names the token endpoint (${name})`);

    const tokens = await client.clientCredentialsGrant(config, { scope: 'ap' });
    check(tokens.token_type?.toLowerCase() === 'bearer' && tokens.expires_in === 3600 && !!tokens.access_token,
      `client_credentials gives a 3600 s bearer token (${name})`);

    const resp = await client.fetchProtectedResource(config, tokens.access_token, new URL('/api/v1/me/party', server), 'GET');
    const parties = await resp.json();
    check(resp.status === 200 && Array.isArray(parties) && parties.length > 0 && typeof parties[0].partyId === 'string' &&
      typeof parties[0].canReceiveDocument === 'boolean', `GET /api/v1/me/party answers the granted parties (${name})`);
  }

  // A wrong Secret: invalid_client (401), with a Basic challenge when the
  // client used HTTP Basic (RFC 6749 §5.2).
  for (const [name, auth] of [['client_secret_basic', client.ClientSecretBasic()], ['client_secret_post', client.ClientSecretPost()]]) {
    const wrong = await client.discovery(server, clientId, 'sk_wrong', auth, options);
    let err;
    try {
      await client.clientCredentialsGrant(wrong, { scope: 'ap' });
    } catch (e) {
      err = e;
    }
    check(err !== undefined, `a wrong Secret is refused (${name})`);
    if (name === 'client_secret_basic') {
      const body = await err.response?.json();
      check(err instanceof client.WWWAuthenticateChallengeError && err.status === 401 &&
        err.cause?.[0]?.scheme === 'basic' && body?.error === 'invalid_client',
        `a wrong Secret by HTTP Basic is 401 invalid_client with a Basic challenge (got ${err.name}, ${err.status})`);
    } else {
      check(err instanceof client.ResponseBodyError && err.status === 401 && err.error === 'invalid_client',
        `a wrong Secret in the body is 401 invalid_client (got ${err.name}, ${err.status})`);
    }
  }
}

main().then(
  () => console.log('all checks passed'),
  (e) => {
    console.error(`FAILED: ${e?.message ?? e}`);
    process.exit(1);
  },
);
