// npm run users -- add NAME --role editor|admin | passwd NAME | disable NAME | enable NAME | list
// Accounts of the back office (/admin), in ADMIN_DB. A password is read from
// standard input (one line) when it is not a terminal, else asked twice
// without echo. Every change is in the audit log, by "command line".
import readline from "node:readline";
import { adminStore } from "@/lib/admin/admin-store";
import { hashPassword, passwordProblem } from "@/lib/admin/passwords";
import { ROLES, type Role } from "@/lib/admin/store";

const USAGE = "usage: npm run users -- add NAME --role editor|admin | passwd NAME | disable NAME | enable NAME | list";

function fail(message: string): never {
  console.error(`users: ${message}`);
  process.exit(2);
}

/** One hidden line from the terminal. */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const mute = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stdout.write(prompt);
    mute._writeToOutput = () => {};
    rl.question("", (answer) => {
      rl.close();
      process.stdout.write("\n");
      resolve(answer);
    });
  });
}

async function readPassword(): Promise<string> {
  let password: string;
  if (process.stdin.isTTY) {
    password = await askHidden("password: ");
    if ((await askHidden("again: ")) !== password) fail("the two passwords differ");
  } else {
    let text = "";
    for await (const chunk of process.stdin) text += chunk;
    password = text.split(/\r?\n/u)[0];
  }
  const problem = passwordProblem(password);
  if (problem) fail(problem);
  return password;
}

const NAME = /^[\p{L}\p{N}._-]{2,64}$/u;

async function main() {
  const [command, name, ...rest] = process.argv.slice(2);
  const store = adminStore();
  const needName = () => (name && NAME.test(name) ? name : fail(`a name of 2–64 letters, digits, . _ or - is needed (${USAGE})`));
  const existing = async () => (await store.account(needName())) ?? fail(`no account named ${name}`);
  switch (command) {
    case "add": {
      const roleAt = rest.indexOf("--role");
      const role = (roleAt >= 0 ? rest[roleAt + 1] : "editor") as Role;
      if (!ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(", ")}`);
      if (await store.account(needName())) fail(`an account named ${name} exists (passwd changes its password)`);
      const account = await store.addAccount(name, role, await hashPassword(await readPassword()));
      await store.audit({ actor: "command line", action: "account added", target: name, before: null, after: JSON.stringify({ role }) });
      console.log(`users: added ${account.name} (${account.role})`);
      return;
    }
    case "passwd": {
      const account = await existing();
      await store.setPassword(account.name, await hashPassword(await readPassword()));
      await store.deleteSessionsOf(account.id);
      await store.audit({ actor: "command line", action: "password changed", target: account.name, before: null, after: null });
      console.log(`users: new password for ${account.name}; its sessions are ended`);
      return;
    }
    case "disable":
    case "enable": {
      const account = await existing();
      await store.setDisabled(account.name, command === "disable");
      if (command === "disable") await store.deleteSessionsOf(account.id);
      await store.audit({ actor: "command line", action: `account ${command}d`, target: account.name, before: JSON.stringify({ disabled: account.disabled }), after: JSON.stringify({ disabled: command === "disable" }) });
      console.log(`users: ${account.name} ${command}d`);
      return;
    }
    case "list":
      for (const a of await store.accounts()) console.log(`${a.name}\t${a.role}\t${a.disabled ? "disabled" : "active"}\t${a.created}`);
      return;
    default:
      fail(USAGE);
  }
}

main().then(
  () => process.exit(0),
  (e) => fail((e as Error).message),
);
