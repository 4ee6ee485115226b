import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors';
import { serverProperties, type NodePorts, type SaslUsers } from './brokerConfig';
import { javaBinary, kafkaVersion } from './kafkaRuntime';

/**
 * Writes each node's server.properties and formats the KRaft storage the first
 * time (or when the cluster layout changed), as `kafka-storage format` does.
 */
export function formatStorageIfNeeded(
  home: string,
  dataDir: string,
  nodes: readonly NodePorts[],
  classpath: string,
  log4j: string,
  sasl: SaslUsers | undefined,
  shareGroups = true,
): void {
  // The storage belongs to one cluster layout and one Kafka release; a different port, node
  // count, security or release formats anew (storage formatted by 4.1 would keep share groups off on 4.4).
  const layout = JSON.stringify({
    nodes,
    sasl: sasl !== undefined,
    tls: sasl?.tls !== undefined,
    scramUsers: Object.keys(sasl?.scramUsers ?? {}),
    kafka: kafkaVersion(),
    ...(shareGroups ? {} : { shareGroups }),
  });
  const layoutFile = path.join(home, 'layout.json');
  const formatted = fs.existsSync(layoutFile) && fs.readFileSync(layoutFile, 'utf8') === layout;
  for (const node of nodes) {
    const logDir = path.join(dataDir, `node-${node.nodeId}`);
    fs.writeFileSync(path.join(home, `server-${node.nodeId}.properties`), serverProperties(node, nodes, logDir, sasl), {
      mode: 0o600,
    });
  }
  if (formatted) return;
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(layoutFile, { force: true });
  const clusterId = kafkaClusterId();
  for (const node of nodes) {
    const result = spawnSync(
      javaBinary(),
      [
        `-Dlog4j2.configurationFile=${log4j}`,
        '-cp',
        classpath,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        path.join(home, `server-${node.nodeId}.properties`),
        // SCRAM users are records in the cluster metadata; KRaft takes the first ones at format time.
        ...Object.entries(sasl?.scramUsers ?? {}).flatMap(([name, password]) => [
          '--add-scram',
          `SCRAM-SHA-512=[name=${name},password=${password}]`,
        ]),
        // Without it the release's default feature levels apply (share groups on since 4.2).
        ...(shareGroups ? [] : ['--feature', 'share.version=0']),
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) {
      throw new LabError(
        'BROKER_START_FAILED',
        `Formatting Kafka storage failed (${result.error?.message ?? `exit ${result.status}`}):\n${hidePasswords((result.stderr || result.stdout || '').slice(-2000), sasl)}`,
      );
    }
  }
  fs.writeFileSync(layoutFile, layout);
}

/** The tool may echo its arguments, SCRAM passwords included: they never reach an error message. */
function hidePasswords(text: string, sasl: SaslUsers | undefined): string {
  return Object.values(sasl?.scramUsers ?? {}).reduce((out, password) => out.split(password).join('****'), text);
}

/** A KRaft cluster id: 16 random bytes in URL-safe base64 without padding, as `kafka-storage random-uuid` prints. */
function kafkaClusterId(): string {
  return Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url');
}
