// Prints the JSON ABI of interface `name` declared in Solidity file `file`.
// Usage: node tools/sol-abi.js FILE NAME
const fs = require('fs');
const solc = require('solc');

const [file, name] = process.argv.slice(2);
const input = {
  language: 'Solidity',
  sources: { [file]: { content: fs.readFileSync(file, 'utf8') } },
  settings: { outputSelection: { '*': { '*': ['abi'] } } },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
if (errors.length) {
  errors.forEach((e) => console.error(e.formattedMessage));
  process.exit(1);
}
const contract = output.contracts[file][name];
if (!contract) {
  console.error(`no interface ${name} in ${file}`);
  process.exit(1);
}
process.stdout.write(JSON.stringify(contract.abi, null, 2) + '\n');
