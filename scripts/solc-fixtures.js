// Compiles the devnet's Solidity (devnet/solidity: contracts the devnet
// installs; devnet/tests/solidity: test contracts) with the pinned npm solc
// (tools/) and writes one JSON fixture per contract next to its source:
// { "abi", "bytecode" (init code), "deployedBytecode" }.
// Usage: node scripts/solc-fixtures.js   (or `make solc-fixtures`);
// with --check, writes nothing and fails if a fixture differs from a fresh build.
const fs = require('fs');
const path = require('path');
const solc = require(path.join(__dirname, '..', 'tools', 'node_modules', 'solc'));

const check = process.argv.includes('--check');
const dirs = [path.join(__dirname, '..', 'devnet', 'solidity'), path.join(__dirname, '..', 'devnet', 'tests', 'solidity')];
const sources = {};
const dirOf = {};
for (const dir of dirs) {
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.sol')).sort()) {
    sources[file] = { content: fs.readFileSync(path.join(dir, file), 'utf8') };
    dirOf[file] = dir;
  }
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    evmVersion: 'cancun',
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
if (errors.length) {
  errors.forEach((e) => console.error(e.formattedMessage));
  process.exit(1);
}
for (const source of Object.keys(output.contracts)) {
  const dir = dirOf[source];
  for (const [name, contract] of Object.entries(output.contracts[source])) {
    if (!contract.evm.bytecode.object) continue; // interfaces
    const fixture = {
      compiler: `solc ${solc.version()}`,
      abi: contract.abi,
      bytecode: '0x' + contract.evm.bytecode.object,
      deployedBytecode: '0x' + contract.evm.deployedBytecode.object,
    };
    const file = path.join(dir, `${name}.json`);
    const text = JSON.stringify(fixture, null, 2) + '\n';
    if (check) {
      if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) {
        console.error(`${file} is stale: run make solc-fixtures`);
        process.exitCode = 1;
      }
      continue;
    }
    fs.writeFileSync(file, text);
    console.log(`${name}: ${contract.evm.bytecode.object.length / 2} B init code, ${contract.evm.deployedBytecode.object.length / 2} B runtime`);
  }
}
