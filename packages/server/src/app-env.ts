/** The Hono environment every app and middleware of the service shares: the request id set by `requestId()`. */
export type AppEnv = { Variables: { requestId: string } };
