import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentOf, hostPath, loadCompose, mountsOf, REPO_ROOT, type ComposeService } from './composeFile.js';
import { child, childrenNamed, parseXml, textOf, type XmlElement } from './xmlTree.js';

/**
 * The ClickHouse and Keeper configuration files of docker-compose.yml: each parses, and they agree with each other
 * and with the compose file — the cluster Flowlens names (CLICKHOUSE_CLUSTER) is 2 shards x 2 replicas of the
 * compose services, each node's macros match its place in it, and the Keeper ensemble is the one both the keepers
 * and the ClickHouse nodes list.
 */

const compose = loadCompose();
const services = compose.services;
const serviceNamed = (name: string): ComposeService => services[name] ?? (() => { throw new Error(`no service ${name}`); })();
const clickhouseNodes = Object.keys(services).filter((n) => services[n]?.image?.startsWith('clickhouse/clickhouse-server:'));
const keepers = Object.keys(services).filter((n) => services[n]?.image?.startsWith('clickhouse/clickhouse-keeper:'));

function xmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? xmlFiles(path.join(dir, e.name)) : e.name.endsWith('.xml') ? [path.join(dir, e.name)] : [],
  );
}

/** The parsed file a service mounts at `target` (docker-compose.yml's own mount, so the test reads what runs). */
function mountedXml(service: string, target: string): XmlElement {
  const mount = mountsOf(serviceNamed(service)).find((m) => m.target === target);
  if (!mount?.bind) throw new Error(`${service} mounts no file at ${target}`);
  return parseXml(readFileSync(hostPath(mount), 'utf8'));
}

const CONFIG_D = '/etc/clickhouse-server/config.d';
const clusterName = environmentOf(serviceNamed('flowlens')).CLICKHOUSE_CLUSTER ?? '';
const remoteServers = (node: string) => child(mountedXml(node, `${CONFIG_D}/remote_servers.xml`), 'remote_servers');
const cluster = child(remoteServers(clickhouseNodes[0] ?? ''), clusterName);
const shards = childrenNamed(cluster, 'shard');
const replicaHosts = (shard: XmlElement) => childrenNamed(shard, 'replica').map((r) => textOf(r, 'host'));

describe('ClickHouse and Keeper configuration files', () => {
  const files = xmlFiles(path.join(REPO_ROOT, 'deploy'));

  it.each(files.map((f) => [path.relative(REPO_ROOT, f)]))('%s is well-formed XML with a <clickhouse> root', (file) => {
    expect(parseXml(readFileSync(path.join(REPO_ROOT, file), 'utf8')).name).toBe('clickhouse');
  });

  it('are all mounted by docker-compose.yml', () => {
    const mounted = new Set(Object.values(services).flatMap((s) => mountsOf(s).filter((m) => m.bind).map(hostPath)));
    expect(files.filter((f) => !mounted.has(f)).map((f) => path.relative(REPO_ROOT, f))).toEqual([]);
  });
});

describe('remote_servers: the cluster Flowlens runs ON CLUSTER', () => {
  it('is the cluster CLICKHOUSE_CLUSTER names, the same file on every node', () => {
    expect(clusterName).toBe('flowlens');
    for (const node of clickhouseNodes) expect(remoteServers(node)).toEqual(remoteServers(clickhouseNodes[0] ?? ''));
  });

  it('has 2 shards of 2 replicas, replicating internally, whose hosts are the 4 ClickHouse services on the native port', () => {
    expect(shards.map((s) => replicaHosts(s).length)).toEqual([2, 2]);
    for (const shard of shards) expect(textOf(shard, 'internal_replication')).toBe('true');
    const hosts = shards.flatMap(replicaHosts);
    expect([...hosts].sort()).toEqual([...clickhouseNodes].sort());
    for (const shard of shards) for (const replica of childrenNamed(shard, 'replica')) expect(textOf(replica, 'port')).toBe('9000');
  });

  it('authenticates forwarded queries with a cluster secret every node is given', () => {
    const variable = child(cluster, 'secret').attributes.from_env ?? '';
    expect(variable).not.toBe('');
    for (const node of clickhouseNodes) expect(environmentOf(serviceNamed(node))[variable], node).toMatch(/.+/);
  });
});

describe('macros: each node knows its shard and replica', () => {
  const macros = (node: string) => child(mountedXml(node, `${CONFIG_D}/macros.xml`), 'macros');

  it('gives each node the shard and replica of its place in remote_servers', () => {
    for (const node of clickhouseNodes) {
      const shardIndex = shards.findIndex((s) => replicaHosts(s).includes(node));
      expect(textOf(macros(node), 'shard'), node).toBe(String(shardIndex + 1));
      expect(textOf(macros(node), 'replica'), node).toBe(node);
      expect(textOf(macros(node), 'cluster'), node).toBe(clusterName);
    }
  });

  it('gives no two nodes the same (shard, replica), and each shard both of its replicas', () => {
    const pairs = clickhouseNodes.map((n) => `${textOf(macros(n), 'shard')}/${textOf(macros(n), 'replica')}`);
    expect(new Set(pairs).size).toBe(4);
    const byShard = new Map<string, number>();
    for (const node of clickhouseNodes) byShard.set(textOf(macros(node), 'shard'), (byShard.get(textOf(macros(node), 'shard')) ?? 0) + 1);
    expect([...byShard.entries()].sort()).toEqual([['1', 2], ['2', 2]]);
  });
});

describe('Keeper: a 3-node ensemble that every ClickHouse node connects to', () => {
  const keeperServer = (keeper: string) => child(mountedXml(keeper, '/etc/clickhouse-keeper/keeper_config.xml'), 'keeper_server');
  const raft = (keeper: string) =>
    childrenNamed(child(keeperServer(keeper), 'raft_configuration'), 'server').map((s) => ({ id: textOf(s, 'id'), hostname: textOf(s, 'hostname'), port: textOf(s, 'port') }));

  it('lists the 3 keeper services in raft_configuration with distinct ids, the same in every keeper', () => {
    expect(keepers).toHaveLength(3);
    const first = raft(keepers[0] ?? '');
    expect(first.map((s) => s.hostname).sort()).toEqual([...keepers].sort());
    expect(new Set(first.map((s) => s.id)).size).toBe(3);
    for (const keeper of keepers) expect(raft(keeper)).toEqual(first);
  });

  it('gives each keeper the server_id of its own entry in raft_configuration', () => {
    for (const keeper of keepers) {
      const own = raft(keeper).find((s) => s.hostname === serviceNamed(keeper).hostname);
      expect(textOf(keeperServer(keeper), 'server_id'), keeper).toBe(own?.id);
    }
  });

  it('allows the four-letter words the health check sends', () => {
    for (const keeper of keepers) {
      const words = textOf(keeperServer(keeper), 'four_letter_word_white_list').split(',');
      expect(words).toEqual(expect.arrayContaining(['ruok', 'mntr']));
      expect(serviceNamed(keeper).healthcheck?.test.join(' ')).toContain(textOf(keeperServer(keeper), 'tcp_port'));
    }
  });

  it('is what every ClickHouse node lists in its zookeeper section, on the keepers\' client port', () => {
    for (const node of clickhouseNodes) {
      const nodes = childrenNamed(child(mountedXml(node, `${CONFIG_D}/keeper_client.xml`), 'zookeeper'), 'node');
      expect(nodes.map((n) => textOf(n, 'host')).sort(), node).toEqual([...keepers].sort());
      for (const n of nodes) expect(textOf(n, 'port')).toBe(textOf(keeperServer(textOf(n, 'host')), 'tcp_port'));
    }
  });
});

describe('users.d: the user Flowlens signs in as', () => {
  it('defines CLICKHOUSE_USER on every node, its password read from a variable the node is given', () => {
    const user = environmentOf(serviceNamed('flowlens')).CLICKHOUSE_USER ?? '';
    for (const node of clickhouseNodes) {
      const definition = child(mountedXml(node, '/etc/clickhouse-server/users.d/flowlens.xml'), `users/${user}`);
      const variable = child(definition, 'password').attributes.from_env ?? '';
      expect(environmentOf(serviceNamed(node))[variable], node).toBe(environmentOf(serviceNamed('flowlens')).CLICKHOUSE_PASSWORD);
      // Not CLICKHOUSE_PASSWORD: the server image's entry point would give that password to the `default` user.
      expect(variable).not.toBe('CLICKHOUSE_PASSWORD');
    }
  });
});
