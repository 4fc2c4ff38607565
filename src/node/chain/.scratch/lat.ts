import { spawn } from "node:child_process";
import { JsonRpc } from "../rpc.ts";
const bin = "/work/main/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";
let t = performance.now();
const p = spawn(bin, ["--port", "0", "--host", "127.0.0.1", "--color", "never"], { stdio: ["ignore", "pipe", "inherit"] });
const port = await new Promise<number>((res) => { let o = ""; p.stdout.on("data", (d) => { o += d; const m = /Listening on [^\s]*:(\d+)/.exec(o); if (m) res(Number(m[1])); }); });
console.log("anvil listening after", performance.now() - t);
const rpc = new JsonRpc(`http://127.0.0.1:${port}`);
for (const m of ["eth_blockNumber", "eth_chainId"]) {
  t = performance.now();
  for (let i = 0; i < 200; i++) await rpc.call(m);
  console.log(m, (performance.now() - t) / 200, "ms/call");
}
t = performance.now();
for (let i = 0; i < 100; i++) await rpc.call("evm_mine");
console.log("evm_mine", (performance.now() - t) / 100);
t = performance.now();
for (let i = 0; i < 100; i++) await rpc.call("evm_mine_detailed", [{}]);
console.log("evm_mine_detailed", (performance.now() - t) / 100);
p.kill();
