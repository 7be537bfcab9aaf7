import { randomUUID } from 'node:crypto';
import { testSystem } from './system';

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: string } & Record<string, unknown> }>;
}

/** POSTs one operation to the gateway (or another URL), as a web or mobile client would. */
export async function gql<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; url?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(options.url ?? testSystem().gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** The first error's `extensions.code`, for asserting rejections. */
export const errorCode = (response: GraphQLResponse<unknown>) => response.errors?.[0]?.extensions?.code;

export interface SignedUpFan {
  id: string;
  email: string;
  token: string;
}

export async function signUpFan(name = 'Fan'): Promise<SignedUpFan> {
  const email = `fan-${randomUUID()}@example.com`;
  const response = await gql<{ signUp: { token: string; user: { id: string } } }>(
    'mutation SignUp($input: SignUpInput!) { signUp(input: $input) { token user { id } } }',
    { input: { email, password: 'correct-horse-battery', name } },
  );
  if (!response.data) throw new Error(`signUp failed: ${JSON.stringify(response.errors)}`);
  return { id: response.data.signUp.user.id, email, token: response.data.signUp.token };
}

export async function logInAdmin(): Promise<string> {
  const env = testSystem().env;
  const response = await gql<{ logIn: { token: string } }>(
    'mutation LogIn($email: String!, $password: String!) { logIn(email: $email, password: $password) { token } }',
    {
      email: env['ADMIN_EMAIL'] ?? 'admin@ticketing.local',
      password: env['ADMIN_PASSWORD'] ?? 'admin-password-change-me',
    },
  );
  if (!response.data) throw new Error(`admin logIn failed: ${JSON.stringify(response.errors)}`);
  return response.data.logIn.token;
}
