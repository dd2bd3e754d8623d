// The benchmark's servers, in their own process: raftkit TCP, node:http
// keep-alive + JSON, and @grpc/grpc-js unary. Reports its ports over IPC and
// exits when the parent disconnects.
import { createServer } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { msgpackCodec } from '@raftkit/codec';
import { defineService, RpcServer } from '@raftkit/core';
import { createTcpTransport } from '../dist/index.js';
import { GRPC_PATH, reply } from './workload.mjs';

const rpc = new RpcServer();
rpc.addService(defineService()('Bench', ['Echo']), { Echo: reply });
const tcp = await createTcpTransport({
  clusterId: 'bench',
  nodeId: 'server',
  listen: { host: '127.0.0.1', port: 0 },
  server: rpc,
  acceptFrom: ['client'],
});

const http = createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.stringify(reply(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));

const grpcServer = new grpc.Server();
grpcServer.addService(
  {
    Echo: {
      path: GRPC_PATH,
      requestStream: false,
      responseStream: false,
      requestSerialize: (v) => Buffer.from(msgpackCodec.encode(v)),
      requestDeserialize: (b) => msgpackCodec.decode(b),
      responseSerialize: (v) => Buffer.from(msgpackCodec.encode(v)),
      responseDeserialize: (b) => msgpackCodec.decode(b),
    },
  },
  { Echo: (call, callback) => callback(null, reply(call.request)) },
);
const grpcPort = await new Promise((resolve, reject) =>
  grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) =>
    err ? reject(err) : resolve(port),
  ),
);

process.send({ tcp: tcp.address().port, http: http.address().port, grpc: grpcPort });
// CPU time used so far (µs), asked for before and after every measured cell.
process.on('message', (msg) => {
  if (msg === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send({ cpu: user + system });
  }
});
process.on('disconnect', async () => {
  http.closeAllConnections();
  http.close();
  grpcServer.forceShutdown();
  await tcp.close();
  process.exit(0);
});
