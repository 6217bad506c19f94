// Checks an unpacked bundle's Hugging Face hub cache (OUT/hf/hub) with the cache functions of the
// Hugging Face JavaScript client (@huggingface/hub). Used by tests/scripts/hf_real_client.sh:
//   node check_cache.mjs HUB_CACHE EXPECTED_JSON
// EXPECTED_JSON (from list_hub.mjs): [{type, id, commit, files: [{path, size, etag}]}]. Checks that
// scanCacheDir finds exactly these repos, with no warnings; that refs/main names the commit; that
// the snapshot holds exactly the expected files, each a relative link to blobs/<etag> of the right
// size and content; and that downloadFileToCacheDir returns each file from the cache by repo and
// commit without any request (hubUrl is a closed port). Links are checked against what the
// client's own createSymlink writes (path.relative from the link's folder to the blob) and refs/main
// against what its snapshotDownload writes (the commit, no newline).
// Prints one line per check; exits 1 on any mismatch, 2 on bad usage.
import { createHash } from "node:crypto";
import { lstat, readFile, readdir, readlink, realpath, stat } from "node:fs/promises";
import { loadHub } from "./load_hub.mjs";
import { createServer } from "node:net";
import { dirname, join, relative } from "node:path";

const hub = loadHub("check_cache.mjs");

const [cacheDir, expectedJson, ...extra] = process.argv.slice(2);
if (!cacheDir || !expectedJson || extra.length) {
    console.error("usage: node check_cache.mjs HUB_CACHE EXPECTED_JSON");
    process.exit(2);
}

let failures = 0;
const check = (ok, what) => {
    console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
    if (!ok) failures++;
    return ok;
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const sorted = (list) => [...list].sort();
const attempt = async (what) => {
    try {
        return { value: await what() };
    } catch (err) {
        return { error: err };
    }
};

// The etag of a blob, as the Hub gives it: sha256 for an LFS file, git's blob sha1 otherwise.
function etagMatches(bytes, etag) {
    if (etag.length === 64) return createHash("sha256").update(bytes).digest("hex") === etag;
    const header = Buffer.from(`blob ${bytes.length}\0`);
    return createHash("sha1").update(Buffer.concat([header, bytes])).digest("hex") === etag;
}

// A port nothing listens on: a hubUrl there fails any request the client would make.
async function closedPort() {
    const server = createServer();
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(resolve));
    return port;
}

// Every path under DIR that is not a folder, relative to DIR, with "/" separators.
async function walk(dir, base = dir) {
    const out = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) out.push(...(await walk(path, base)));
        else out.push(relative(base, path).split("\\").join("/"));
    }
    return out;
}

const requests = [];
const offline = { hubUrl: `http://127.0.0.1:${await closedPort()}` };
offline.fetch = (url, init) => {
    requests.push(String(url));
    return fetch(url, init);
};

// One line per file: a relative link to blobs/<etag>, the blob's size and content, and the
// client's own lookup, which must return the file cached for this commit without a request.
async function checkSnapshotFile(want, file, revision, repoPath) {
    const problems = [];
    const link = join(revision.path, file.path);
    const blob = join(repoPath, "blobs", file.etag);
    const linkStat = await attempt(() => lstat(link));
    if (!linkStat.value?.isSymbolicLink()) problems.push(linkStat.value ? "not a link" : "missing");
    const target = await attempt(() => readlink(link));
    if (target.value !== relative(dirname(link), blob)) problems.push(`links to ${target.value}, want ${relative(dirname(link), blob)}`);
    const real = await attempt(() => realpath(link));
    const blobReal = await attempt(() => realpath(blob));
    if (!blobReal.value || real.value !== blobReal.value) problems.push(`resolves to ${real.value ?? real.error?.message}`);
    const blobStat = await attempt(() => stat(blob));
    if (blobStat.value?.size !== file.size) problems.push(`blob has ${blobStat.value?.size} bytes, Hub says ${file.size}`);
    else if (!etagMatches(await readFile(blob), file.etag)) problems.push("blob content does not match its etag");
    const before = requests.length;
    const got = await attempt(() =>
        hub.downloadFileToCacheDir({ repo: { type: want.type, name: want.id }, path: file.path, revision: want.commit, cacheDir, ...offline }));
    if (got.value !== link) problems.push(`downloadFileToCacheDir gives ${got.value ?? got.error?.message}`);
    if (requests.length !== before) problems.push(`downloadFileToCacheDir made ${requests.length - before} request(s)`);
    check(problems.length === 0, `${want.type}s/${want.id}: ${file.path} -> ${target.value}, ${blobStat.value?.size} bytes` +
        (problems.length ? `: ${problems.join("; ")}` : ", content matches, found offline by downloadFileToCacheDir"));
}

async function checkRepo(want, scanned) {
    const name = `${want.type}s/${want.id}`;
    const folder = hub.getRepoFolderName({ type: want.type, name: want.id });
    const repoPath = join(cacheDir, folder);
    const cached = scanned.find((r) => r.id.type === want.type && r.id.name === want.id);
    if (!check(cached, `${name}: scanCacheDir finds it (folder ${folder})`)) return;
    check(cached.path === repoPath, `${name}: scanned from ${cached.path}`);
    check(cached.revisions.length === 1, `${name}: ${cached.revisions.length} revision(s) in snapshots/`);
    const main = cached.revisions.find((r) => r.refs.includes("main"));
    check(main?.commitOid === want.commit, `${name}: refs/main -> ${main?.commitOid ?? "nothing"} (Hub: ${want.commit})`);
    const revision = cached.revisions.find((r) => r.commitOid === want.commit);
    if (!check(revision, `${name}: snapshots/${want.commit} scanned`)) return;
    check(same(revision.refs, ["main"]), `${name}: refs of the revision ${JSON.stringify(revision.refs)}`);

    // scanCachedRepo lists the files at the top of a snapshot only (it skips folders).
    const expected = sorted(want.files.map((f) => f.path));
    const topLevel = sorted(want.files.filter((f) => !f.path.includes("/")).map((f) => f.path));
    const scannedFiles = sorted(revision.files.map((f) => relative(revision.path, f.path)));
    check(same(scannedFiles, topLevel), `${name}: scanned top-level files ${JSON.stringify(scannedFiles)}`);
    for (const f of revision.files) {
        const file = want.files.find((w) => w.path === relative(revision.path, f.path));
        if (!file) continue;
        const blob = join(repoPath, "blobs", file.etag);
        const got = `${relative(await realpath(repoPath), f.blob.path)} (${f.blob.size} bytes)`;
        check(f.blob.path === (await realpath(blob)) && f.blob.size === file.size,
            `${name}: scan resolves ${file.path} to ${got}${f.blob.path === (await realpath(blob)) ? "" : `, want blobs/${file.etag} (${file.size} bytes)`}`);
    }
    check(revision.size === want.files.filter((f) => !f.path.includes("/")).reduce((n, f) => n + f.size, 0),
        `${name}: scanned revision size ${revision.size}`);

    const all = sorted(await walk(revision.path));
    check(same(all, expected), `${name}: snapshot holds exactly ${expected.length} files ${JSON.stringify(all)}`);
    for (const file of want.files) await checkSnapshotFile(want, file, revision, repoPath);
    const blobs = sorted(await readdir(join(repoPath, "blobs")));
    check(same(blobs, sorted(new Set(want.files.map((f) => f.etag)))), `${name}: blobs/ holds exactly the ${blobs.length} etags`);
    const refs = await readFile(join(repoPath, "refs", "main"), "latin1");
    check(refs === want.commit, `${name}: refs/main is ${JSON.stringify(refs)} (no newline)`);
}

// config.json by repo + revision "main", as an offline program would read it: the client resolves
// main through refs/ (scanCachedRepo), then takes the file from the cache by commit.
async function readConfig(want) {
    const name = `${want.type}s/${want.id}`;
    const cached = await attempt(() => hub.scanCachedRepo(join(cacheDir, hub.getRepoFolderName({ type: want.type, name: want.id }))));
    if (!check(cached.value, `${name}: scanCachedRepo ${cached.error?.message ?? "reads it"}`)) return;
    const commit = cached.value.revisions.find((r) => r.refs.includes("main"))?.commitOid;
    const before = requests.length;
    const got = await attempt(async () => {
        const path = await hub.downloadFileToCacheDir({
            repo: { type: want.type, name: want.id }, path: "config.json", revision: commit, cacheDir, ...offline });
        return JSON.parse(await readFile(path, "utf8"));
    });
    check(got.value && typeof got.value === "object" && requests.length === before,
        `${name}: config.json at main (${commit?.slice(0, 8)}) read offline: ${got.value ? Object.keys(got.value).length + " keys" : got.error?.message}`);
    // A branch name is not looked up in refs/ by downloadFileToCacheDir: it asks the Hub.
    const byBranch = await attempt(() =>
        hub.downloadFileToCacheDir({ repo: { type: want.type, name: want.id }, path: "config.json", revision: "main", cacheDir, ...offline }));
    console.log(`note ${name}: downloadFileToCacheDir(revision "main") offline: ${byBranch.value ?? byBranch.error?.message}` +
        ` (${requests.length - before} request(s); the client resolves a branch on the Hub, not from refs/)`);
    requests.length = before;
}

try {
    const wanted = JSON.parse(await readFile(expectedJson, "utf8"));
    const scan = await hub.scanCacheDir(cacheDir);
    check(scan.warnings.length === 0, `scanCacheDir: ${scan.warnings.length} warning(s)${scan.warnings.map((w) => `\n       ${w.message}`).join("")}`);
    const found = sorted(scan.repos.map((r) => `${r.id.type}:${r.id.name}`));
    check(same(found, sorted(wanted.map((w) => `${w.type}:${w.id}`))), `scanCacheDir: repos ${JSON.stringify(found)}`);
    for (const want of wanted) {
        await checkRepo(want, scan.repos);
        if (want.files.some((f) => f.path === "config.json")) await readConfig(want);
    }
    check(requests.length === 0, `no request reached the network (${requests.length})`);
} catch (err) {
    check(false, `check_cache.mjs: ${err.stack ?? err}`);
}
console.log(failures ? `check_cache: ${failures} check(s) failed` : "check_cache: all checks passed");
process.exit(failures ? 1 : 0);
