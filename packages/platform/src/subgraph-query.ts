import { z } from 'zod';
import { serviceFetch } from './service-fetch';

const errorsSchema = z.array(z.object({ message: z.string() })).optional();

/**
 * One GraphQL query to another subgraph's own endpoint, service to service (e.g. booking and
 * queue asking concert about a schedule): POST, a timeout, the answer checked against `data`.
 * An HTTP failure, a GraphQL error or an answer of another shape throws, so the caller's own
 * caching never remembers a failure as an answer.
 */
export async function querySubgraph<TData extends z.ZodType>(
  url: string,
  request: { query: string; variables: Record<string, unknown>; data: TData; timeoutMs?: number; subgraph: string },
): Promise<z.infer<TData>> {
  const response = await serviceFetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: request.query, variables: request.variables }),
    timeoutMs: request.timeoutMs ?? 3_000,
  });
  if (!response.ok) throw new Error(`${request.subgraph} subgraph answered HTTP ${response.status}`);
  const body = z.object({ data: request.data.nullish(), errors: errorsSchema }).parse(await response.json());
  if (body.errors?.length) throw new Error(`${request.subgraph} subgraph: ${body.errors.map((e) => e.message).join('; ')}`);
  if (body.data === null || body.data === undefined) throw new Error(`${request.subgraph} subgraph answered no data`);
  return body.data;
}
