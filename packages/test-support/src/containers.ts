import { GenericContainer, Wait, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';

/**
 * Where a Docker (or Podman) runtime answers, the tests can get their services from
 * testcontainers instead of the local stack: the same images as docker-compose.yml, bound to the
 * same host ports, so every URL and variable stays the same. These machines have no runtime, so
 * here the local stack is used (see isolated-system.ts).
 */
export async function containerRuntimeAnswers(): Promise<boolean> {
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export async function startStackContainers(): Promise<StartedTestContainer[]> {
  const fixed = (port: number) => ({ container: port, host: port });
  return Promise.all([
    new GenericContainer('postgres:15')
      .withEnvironment({ POSTGRES_USER: 'ticketing', POSTGRES_PASSWORD: 'ticketing', POSTGRES_DB: 'postgres' })
      .withExposedPorts(fixed(5432))
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
    new GenericContainer('redis:7').withExposedPorts(fixed(6379)).start(),
    new GenericContainer('apache/kafka:3.9.1')
      .withEnvironment({
        KAFKA_NODE_ID: '1',
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
        KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://127.0.0.1:9092',
        KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      })
      .withExposedPorts(fixed(9092))
      .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
      .start(),
    new GenericContainer('mongo:7').withExposedPorts(fixed(27017)).start(),
  ]);
}
