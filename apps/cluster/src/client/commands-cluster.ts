import { Command } from 'commander';
import { endpointHealth, endpointStatus, memberList, resolveEndpoints } from './cluster-info.js';
import { type ClientFlags, runWithClient, withClientFlags } from './command-options.js';
import { humanBytes, renderTable } from './format.js';
import { moveLeader } from './move-leader.js';

function memberCommand(): Command {
  const list = withClientFlags(new Command('list'))
    .description('list the members: id, status, name, peer URLs, client URLs, learner')
    .action((opts: ClientFlags) =>
      runWithClient(opts, async (client) => {
        const members = await memberList(client);
        if (opts.writeOut === 'json') console.log(JSON.stringify({ members }));
        else if (opts.writeOut === 'table') {
          console.log(
            renderTable(
              ['ID', 'STATUS', 'NAME', 'PEER ADDRS', 'CLIENT ADDRS', 'IS LEARNER'],
              members.map((m) => [
                m.id,
                m.name === '' ? 'unstarted' : 'started',
                m.name,
                m.peerUrls.join(','),
                m.clientUrls.join(','),
                String(m.isLearner),
              ]),
            ),
          );
        } else {
          for (const m of members) {
            const status = m.name === '' ? 'unstarted' : 'started';
            console.log(
              `${m.id}, ${status}, ${m.name}, ${m.peerUrls.join(',')}, ${m.clientUrls.join(',')}, ${m.isLearner}`,
            );
          }
        }
      }),
    );
  return new Command('member').description('cluster membership').addCommand(list);
}

function endpointCommand(): Command {
  const status = withClientFlags(new Command('status'))
    .description('status of each endpoint: id, leader, term, commit and applied index, data size')
    .option('--cluster', 'ask every member listed by the cluster, not just --endpoints')
    .action((opts: ClientFlags & { cluster?: boolean }) =>
      runWithClient(opts, async (client) => {
        const urls = await resolveEndpoints(client, opts.cluster === true);
        const all = await Promise.all(urls.map((u) => endpointStatus(client, u)));
        if (opts.writeOut === 'json') {
          console.log(JSON.stringify(all));
        } else {
          const header = [
            'ENDPOINT',
            'ID',
            'VERSION',
            'DATA SIZE',
            'IS LEADER',
            'LEADER',
            'RAFT TERM',
            'COMMIT INDEX',
            'APPLIED INDEX',
            'ERRORS',
          ];
          const rows = all.map((s) => [
            s.endpoint,
            s.id,
            s.version,
            s.id === '' ? '' : humanBytes(s.dataSize),
            String(s.isLeader),
            s.leader,
            String(s.term),
            String(s.commitIndex),
            String(s.appliedIndex),
            s.errors.join('; '),
          ]);
          if (opts.writeOut === 'table') console.log(renderTable(header, rows));
          else for (const r of rows) console.log(r.join(', '));
        }
        if (all.some((s) => s.id === '')) process.exitCode = 1;
      }),
    );
  const health = withClientFlags(new Command('health'))
    .description('check that each endpoint answers GET /health with "health":"true"')
    .option('--cluster', 'check every member listed by the cluster, not just --endpoints')
    .action((opts: ClientFlags & { cluster?: boolean }) =>
      runWithClient(opts, async (client) => {
        const urls = await resolveEndpoints(client, opts.cluster === true);
        const all = await Promise.all(urls.map((u) => endpointHealth(client, u)));
        if (opts.writeOut === 'json') console.log(JSON.stringify(all));
        else if (opts.writeOut === 'table') {
          console.log(
            renderTable(
              ['ENDPOINT', 'HEALTH', 'TOOK', 'ERROR'],
              all.map((h) => [
                h.endpoint,
                String(h.healthy),
                `${h.tookMs.toFixed(2)}ms`,
                h.error ?? '',
              ]),
            ),
          );
        } else {
          for (const h of all) {
            console.log(
              h.healthy
                ? `${h.endpoint} is healthy: took = ${h.tookMs.toFixed(2)}ms`
                : `${h.endpoint} is unhealthy: ${h.error ?? 'unknown'}`,
            );
          }
        }
        if (all.some((h) => !h.healthy)) process.exitCode = 1;
      }),
    );
  return new Command('endpoint')
    .description('per-endpoint status and health')
    .addCommand(status)
    .addCommand(health);
}

function moveLeaderCommand(): Command {
  return withClientFlags(new Command('move-leader'))
    .description('transfer leadership to the member with this hex id (see "member list")')
    .argument('<id>')
    .action((id: string, opts: ClientFlags) =>
      runWithClient(opts, async (client) => {
        const r = await moveLeader(client, id);
        console.log(
          opts.writeOut === 'json'
            ? JSON.stringify({ from: r.from, to: id })
            : `Leadership transferred from ${r.from} to ${id}`,
        );
      }),
    );
}

/** member, endpoint, move-leader. */
export function clusterCommands(): Command[] {
  return [memberCommand(), endpointCommand(), moveLeaderCommand()];
}
