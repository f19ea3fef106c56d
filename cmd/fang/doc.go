// Command fang is the operator's tool for the two APIs of the fang SDK:
// 123kanfang (VR house viewing) and HC / MicroCommunity (property
// management). It is built on the SDK's public API only.
//
// Usage:
//
//	fang kanfang put-anjuke-bianhao --package-id ID --bianhao NO
//	fang kanfang push --package-id ID --notify-config-id ID [--force-push] [--payload JSON]
//	fang kanfang token [--show-secret]
//	fang property save-property --name … --address … --tel … --corporation … \
//	    --founding-time YYYY-MM-DD [--nearby-landmarks …] \
//	    [--community-id ID]... [--group-id ID]...
//	fang property save-property --file company.json [flags that override it]
//	fang property login [--show-secret]
//	fang mock [--addr 127.0.0.1:8080] [--allow-non-loopback]
//
// Every command and subcommand takes -h/--help.
//
// # Configuration
//
// Each setting is a flag or an environment variable; a flag wins.
//
//	123kanfang                                 HC
//	--base-url    FANG_KANFANG_BASE_URL        --base-url       FANG_PROPERTY_BASE_URL
//	--token       FANG_KANFANG_TOKEN           --app-id         FANG_PROPERTY_APP_ID
//	--auth-key    FANG_KANFANG_AUTH_KEY        --security-code  FANG_PROPERTY_SECURITY_CODE
//	--auth-value  FANG_KANFANG_AUTH_VALUE      --token          FANG_PROPERTY_TOKEN
//	--placement   FANG_KANFANG_PLACEMENT       --username       FANG_PROPERTY_USERNAME
//	--sign-key    FANG_KANFANG_SIGN_KEY        --password       FANG_PROPERTY_PASSWORD
//
// The HC commands still take the older spellings --url and
// FANG_PROPERTY_URL; when both spellings are given the new one wins (and a
// flag still wins over any variable). The 123kanfang base URL defaults to
// kanfang.ProductionBaseURL; HC has no default. A token, when given, is used as is (auth.StaticToken) and wins
// over credentials; otherwise the credentials make the client log in
// (WithCredentials). kanfang token and property login always log in with
// the credentials. Prefer the environment for secrets: flags show in ps.
//
// # Output and exit codes
//
// Results are text on stdout, errors text on stderr. With --json (anywhere
// before a "--", even after a bad flag), one JSON object goes to stdout
// either way, every key in camelCase as the APIs
// spell theirs: {"ok":true,"result":…},
// {"ok":true,"dryRun":true,"request":…} or
// {"ok":false,"error":{"kind":…,"message":…}}, where kind is usage,
// config, validation, api, outcome_unknown or transport. An
// error has one message, fang's, which quotes the server's own; beside it
// state (123kanfang), code (HC), httpStatus, transactionId, problems
// (validation) and a hint when known.
//
// Exit codes:
//
//	0  success (and dry runs)
//	1  failure: the server refused, or the transport failed
//	2  bad flags, missing or bad configuration, or a request that failed
//	   validation: nothing was sent
//	3  outcome unknown (kind outcome_unknown, both APIs): the request may
//	   have taken effect; check the server (for HC by transaction-id)
//	   before trying again. A create that found nothing was created exits 1.
//
// Tokens are never printed, except by kanfang token and property login
// with --show-secret.
//
// # Dry run
//
// --dry-run sends nothing and prints the first request the command would
// send, exactly as the SDK built and signed it: the client is given an
// http.Client whose transport records the request and fails without any
// network I/O (no dial, no DNS lookup), and retries are off. Printed are
// the method, the URL, every header (transaction-id, req-time and sign
// included for HC) and the body, with every configured secret (token,
// auth value, password and its HC hash, sign key, security code) replaced
// by [REDACTED] by the SDK's own redaction. A dry run needs the same
// configuration as a real run; with credentials instead of a token the
// first request is the login.
//
// # Trying it out
//
// fang mock serves the SDK's fakes, kanfangtest and propertytest, on one
// loopback address (/v2/ and /app/), prints their credentials and export
// lines, and runs until SIGINT or SIGTERM:
//
//	fang mock --addr 127.0.0.1:18080 &
//	export FANG_KANFANG_BASE_URL=… FANG_KANFANG_TOKEN=… # as printed
//	fang kanfang put-anjuke-bianhao --package-id pkg-1 --bianhao AJK-1
//	fang property save-property --name 物业A --address 北京 --tel 18909711449 \
//	    --corporation 张三 --founding-time 2022-09-01
//
// It refuses non-loopback addresses unless --allow-non-loopback is given.
package main
