import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { loadAll, load } from 'js-yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { parseConfig } from '../src/config/load-config.js';

const folder = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));
const composeFolder = fileURLToPath(new URL('../../deploy/compose/', import.meta.url));

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** The kubernetes-models class of each kind the manifests use; `validate()` checks an object against its API schema. */
const models: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

function manifestFiles(): string[] {
  return readdirSync(folder).filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml').sort();
}

function readManifests(): Manifest[] {
  return manifestFiles().flatMap((name) => loadAll(readFileSync(join(folder, name), 'utf8')) as Manifest[]);
}

function only<T>(manifests: Manifest[], kind: string): T {
  const found = manifests.filter((manifest) => manifest.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0] as T;
}

function validate(manifest: Manifest): void {
  const model = models[`${manifest.apiVersion}/${manifest.kind}`];
  assert.ok(model, `no schema for ${manifest.apiVersion} ${manifest.kind}`);
  new model(manifest as never).validate();
}

interface Container {
  name: string;
  args: string[];
  ports: { name: string; containerPort: number }[];
  env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  lifecycle: { preStop: { exec: { command: string[] } } };
  securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
  volumeMounts: { name: string; mountPath: string; subPath?: string }[];
}

interface DeploymentShape extends Manifest {
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: { terminationGracePeriodSeconds: number; securityContext: { runAsNonRoot: boolean; runAsUser: number }; containers: Container[]; volumes: { name: string; configMap?: { name: string }; emptyDir?: unknown }[] } };
  };
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([name, value]) => labels[name] === value);
}

describe('the Kubernetes manifests', () => {
  test('every object validates against its Kubernetes API schema', () => {
    const manifests = readManifests();
    assert.deepEqual(manifests.map((manifest) => manifest.kind).sort(), ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service', 'ServiceMonitor']);
    for (const manifest of manifests) validate(manifest);
  });

  test('the schema check refuses a wrong object', () => {
    const deployment = structuredClone(only<DeploymentShape>(readManifests(), 'Deployment'));
    (deployment.spec.template.spec.containers[0] as unknown as { ports: unknown[] }).ports = [{ name: 'http', containerPort: 'four thousand' }];
    assert.throws(() => validate(deployment), /containerPort must be integer/);
  });

  test('the kustomization lists every manifest file', () => {
    const kustomization = load(readFileSync(join(folder, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    assert.deepEqual([...kustomization.resources].sort(), manifestFiles());
  });

  test('probes, ports, selectors and references agree with each other', () => {
    const manifests = readManifests();
    const deployment = only<DeploymentShape>(manifests, 'Deployment');
    const [container] = deployment.spec.template.spec.containers;
    assert.ok(container);
    const podLabels = deployment.spec.template.metadata.labels;
    assert.ok(matches(deployment.spec.selector.matchLabels, podLabels));
    assert.deepEqual([container.livenessProbe.httpGet.path, container.readinessProbe.httpGet.path], ['/health', '/ready']);
    const portNames = container.ports.map((port) => port.name);
    assert.ok(portNames.includes(container.livenessProbe.httpGet.port) && portNames.includes(container.readinessProbe.httpGet.port));
    assert.equal(container.env.find((entry) => entry.name === 'PORT')?.value, String(container.ports.find((port) => port.name === 'http')?.containerPort));

    const service = only<Manifest & { spec: { selector: Record<string, string>; ports: { name: string; targetPort: string }[] } }>(manifests, 'Service');
    assert.ok(matches(service.spec.selector, podLabels));
    assert.ok(service.spec.ports.every((port) => portNames.includes(port.targetPort)));

    const monitor = only<Manifest & { spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] } }>(manifests, 'ServiceMonitor');
    assert.ok(matches(monitor.spec.selector.matchLabels, service.metadata.labels ?? {}));
    assert.ok(monitor.spec.endpoints.every((endpoint) => service.spec.ports.some((port) => port.name === endpoint.port)));

    const pdb = only<Manifest & { spec: { selector: { matchLabels: Record<string, string> } } }>(manifests, 'PodDisruptionBudget');
    assert.ok(matches(pdb.spec.selector.matchLabels, podLabels));
    const hpa = only<Manifest & { spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number } }>(manifests, 'HorizontalPodAutoscaler');
    assert.deepEqual([hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name], ['Deployment', deployment.metadata.name]);
    assert.ok(hpa.spec.minReplicas >= 2, 'at least two replicas, so the disruption budget can let one go');

    const volumes = new Set(deployment.spec.template.spec.volumes.map((volume) => volume.name));
    assert.ok(container.volumeMounts.every((mount) => volumes.has(mount.name)));
    const configMount = container.volumeMounts.find((mount) => mount.name === 'config');
    assert.equal(configMount?.subPath, undefined, 'a subPath mount never sees ConfigMap updates, so reload would not happen');
    const configFile = container.args[container.args.indexOf('--config') + 1] ?? '';
    assert.ok(configFile.startsWith(`${configMount?.mountPath}/`));
    const configMap = only<Manifest & { data: Record<string, string> }>(manifests, 'ConfigMap');
    assert.equal(deployment.spec.template.spec.volumes.find((volume) => volume.name === 'config')?.configMap?.name, configMap.metadata.name);
    assert.ok(configFile.split('/').at(-1)! in configMap.data);
  });

  test('runs as non-root on a read-only root with the data folder on a volume', () => {
    const deployment = only<DeploymentShape>(readManifests(), 'Deployment');
    const [container] = deployment.spec.template.spec.containers;
    assert.equal(deployment.spec.template.spec.securityContext.runAsNonRoot, true);
    assert.ok(deployment.spec.template.spec.securityContext.runAsUser > 0);
    assert.deepEqual([container?.securityContext.readOnlyRootFilesystem, container?.securityContext.allowPrivilegeEscalation], [true, false]);
    const dataDir = container?.env.find((entry) => entry.name === 'SWITCHYARD_DATA_DIR')?.value;
    assert.ok(container?.volumeMounts.some((mount) => mount.mountPath === dataDir));
  });

  test('the ConfigMap holds a valid gateway config, and the grace period covers preStop plus the drain', () => {
    const manifests = readManifests();
    const deployment = only<DeploymentShape>(manifests, 'Deployment');
    const [container] = deployment.spec.template.spec.containers;
    assert.ok(container);
    const env: Record<string, string> = {};
    for (const entry of container.env) env[entry.name] = entry.value ?? (entry.valueFrom?.secretKeyRef ? `secret-${entry.valueFrom.secretKeyRef.key}` : '');
    env.SWITCHYARD_STORAGE_URL = 'postgres://switchyard@db:5432/switchyard';
    env.SWITCHYARD_REDIS_URL = 'redis://redis:6379';
    const configMap = only<Manifest & { data: Record<string, string> }>(manifests, 'ConfigMap');
    const config = parseConfig(load(configMap.data['switchyard.yaml'] ?? ''), env, 'ConfigMap switchyard-config');
    const [command, seconds] = container.lifecycle.preStop.exec.command;
    assert.equal(command, 'sleep');
    // Shutdown waits up to the grace for connections, then up to the grace again for background work, then flushes.
    const needed = Number(seconds) + (2 * config.server.shutdownGraceMs) / 1000;
    assert.ok(deployment.spec.template.spec.terminationGracePeriodSeconds > needed, `terminationGracePeriodSeconds must exceed ${needed}`);
  });
});

describe('the compose file', () => {
  interface ComposeService {
    image?: string;
    read_only?: boolean;
    user?: string;
    healthcheck?: unknown;
    depends_on?: Record<string, { condition: string }>;
    volumes?: string[];
  }

  test('runs two read-only gateway replicas on PostgreSQL and Redis behind the load balancer', () => {
    const compose = load(readFileSync(join(composeFolder, 'compose.yaml'), 'utf8')) as { services: Record<string, ComposeService> };
    const gateways = Object.entries(compose.services).filter(([name]) => name.startsWith('gateway-'));
    assert.equal(gateways.length, 2);
    for (const [, service] of gateways) {
      assert.equal(service.read_only, true);
      assert.match(service.user ?? '', /^[1-9][0-9]*:[0-9]+$/);
      assert.equal(service.depends_on?.postgres?.condition, 'service_healthy');
      assert.equal(service.depends_on?.redis?.condition, 'service_healthy');
    }
    const nginx = readFileSync(join(composeFolder, 'nginx.conf'), 'utf8');
    const upstreams = [...nginx.matchAll(/^\s*server\s+([\w-]+):4000\b/gm)].map((match) => match[1]);
    assert.deepEqual(upstreams.sort(), gateways.map(([name]) => name).sort());
    assert.ok(compose.services.lb?.volumes?.some((volume) => volume.startsWith('./nginx.conf:')));
    const config = parseConfig(load(readFileSync(join(composeFolder, 'switchyard.yaml'), 'utf8')), { POSTGRES_PASSWORD: 'x', OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' }, 'compose switchyard.yaml');
    assert.match(config.storage ?? '', /^postgres:\/\/[^@]+@postgres:5432\//);
    assert.equal(config.redis, 'redis://redis:6379');
  });
});
