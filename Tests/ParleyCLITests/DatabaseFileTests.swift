import Foundation
import GRDB
import ParleyProviders
import ParleyTestSupport
import Testing

/// How the tests make a file read-only for the Parley they run: root may write to any file, so
/// when the tests run as root the binary runs as user nobody, owner of the files, which are then
/// really read-only to it; otherwise plain permissions do.
enum Unprivileged {
    static let runsAsNobody = getuid() == 0
    static let launcher = runsAsNobody ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []

    /// The folder and its files readable, not writable, by the Parley that `launcher` runs.
    static func makeReadOnly(folder: String) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).map { folder + "/" + $0 }
        for path in files + [folder] {
            if runsAsNobody { #expect(chown(path, 65534, 65534) == 0) }
            let isFolder = path == folder
            try FileManager.default.setAttributes([.posixPermissions: isFolder ? 0o500 : 0o400], ofItemAtPath: path)
        }
    }
}

@Suite("The database file: damaged, read-only, full, private")
struct DatabaseFileTests {
    let home = ParleyProcess.dataFolder()
    var databasePath: String { home + "/parley.sqlite" }

    func parley(
        _ arguments: [String], stdin: String? = nil, launcher: [String] = []
    ) async throws -> ParleyProcess.Result {
        try await ParleyProcess.run(arguments, environment: ["PARLEY_HOME": home], stdin: stdin, launcher: launcher)
    }

    func databaseBytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: databasePath)) }

    /// The database file and SQLite's journal beside it (empty when there is none), byte for byte.
    func files() throws -> [Data] {
        [try databaseBytes(), (try? Data(contentsOf: URL(fileURLWithPath: databasePath + "-wal"))) ?? Data()]
    }

    /// Scribbles over a page in the middle of the file that holds part of a long message (the
    /// header and the schema stay whole: only a check of every page finds it).
    func damageAPageInTheMiddle() throws {
        let pages = try DatabaseQueue(path: databasePath).read { db in
            try Int.fetchAll(db, sql: DamagedPages.longMessagePages)
        }
        #expect(!FileManager.default.fileExists(atPath: databasePath + "-wal"), "everything is in the main file")
        try #require(!pages.isEmpty)
        try DamagedPages.damage(page: pages[pages.count / 2], of: databasePath)
    }

    @Test("a database damaged inside is never written: ask answers unsaved, list says so, the app says so")
    func damagedInside() async throws {
        let question = (1...4000).map { "word\($0)" }.joined(separator: " ")
        #expect(try await parley(["ask", "--provider", "demo"], stdin: question).status == 0)
        // The ask left a mark of the files as it left them; damage changes them, and is found.
        #expect(FileManager.default.fileExists(atPath: databasePath + "-checked"))
        try damageAPageInTheMiddle()
        let damaged = try files()

        let asked = try await parley(["ask", "--provider", "demo", "Still there?"])
        #expect(asked.status == 0)
        #expect(asked.stdout.contains("Parley's demo provider"))
        let warnings = asked.stderr.split(separator: "\n").filter { $0.contains("warning") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("saved") == true)
        #expect(warnings.first?.contains("is damaged") == true)
        #expect(try files() == damaged, "nothing written by ask")

        let listed = try await parley(["list"])
        #expect(listed.status == 1)
        #expect(listed.stderr.contains("is damaged"))
        #expect(try files() == damaged, "nothing written by list")

        if Tmux.isInstalled {
            let tmux = try Tmux(
                width: 200, height: 30, command: AppInTmuxTests.command(["--provider", "demo"], home: home))
            try await tmux.waitFor("the app to say the database is damaged") { $0.contains("is damaged") }
            try tmux.press("C-q")
            try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
            #expect(try files() == damaged, "nothing written by the app")
        }
    }

    @Test("a read-only database and folder: list, show, search and export work; ask answers with one true warning")
    func readOnly() async throws {
        #expect(try await parley(["ask", "--provider", "demo", "Why is the sky blue?"]).status == 0)
        let id = try #require(try await parley(["list"]).stdout.split(separator: " ").first.map(String.init))
        try Unprivileged.makeReadOnly(folder: home)
        let before = try files()
        let nobody = Unprivileged.launcher

        let listed = try await parley(["list"], launcher: nobody)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("Why is the sky blue?"))
        let shown = try await parley(["show", id], launcher: nobody)
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("Parley's demo provider"))
        let found = try await parley(["search", "sky"], launcher: nobody)
        #expect(found.stdout.contains(id))
        let exported = try await parley(["export", id, "--format", "json"], launcher: nobody)
        #expect(exported.status == 0)
        #expect(exported.stdout.contains("\"Why is the sky blue?\""))

        let asked = try await parley(["ask", "--provider", "demo", "And sunsets?"], launcher: nobody)
        #expect(asked.status == 0)
        #expect(asked.stdout.contains("Parley's demo provider"))
        let warnings = asked.stderr.split(separator: "\n").filter { $0.contains("warning") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("saved") == true)
        #expect(warnings.first?.contains("read-only") == true)
        #expect(try files() == before, "nothing written")

        if Tmux.isInstalled {
            let tmux = try Tmux(
                width: 160, height: 30,
                command: AppInTmuxTests.command(["--provider", "demo"], home: home, launcher: nobody))
            let screen = try await tmux.waitFor("the saved conversation and why nothing new is saved") {
                $0.contains("Why is the sky blue?") && $0.contains("not being saved")
            }
            #expect(screen.contains("read-only"))
            try tmux.press("C-q")
            try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
        }
    }

    @Test("a database, its journal and its lock files are private (0600), also in a folder open to others")
    func privateFiles() async throws {
        try FileManager.default.createDirectory(
            atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        // The reply is held at the gate until this story's next turn, which a busy run may delay.
        try ConfigHome.patient(home)
        let gate = Gate()
        let server = try await TestServer.start { _ in
            ScriptedResponse(
                headers: [HTTPHeader("Content-Type", "text/event-stream")],
                body: [.bytes(StreamBodies.openAIChatDelta("Streaming. ")), .wait(gate)]
                    + [.bytes(StreamBodies.openAIChatEnd())])
        }
        let asking = try ParleyProcess(
            ["ask", "--provider", "llamacpp", "--base-url", server.baseURL + "/v1", "Who can read this?"],
            environment: ["PARLEY_HOME": home])
        #expect(await asking.waitForOutput(timeout: .seconds(600)) { $0.contains("Streaming.") })
        let whileStreaming = try Self.modes(in: home)
        gate.open()
        let asked = await asking.result(timeout: .seconds(600))
        #expect(asked.status == 0, "stderr: \(asked.stderr)")
        try await server.shutdown()

        #expect(whileStreaming["parley.sqlite"] == 0o600, "\(whileStreaming)")
        #expect(whileStreaming["parley.sqlite-wal"] == 0o600)
        #expect(whileStreaming["parley.sqlite-shm"] == 0o600)
        for (name, mode) in try Self.modes(in: home) where name.hasPrefix("parley.sqlite") {
            #expect(mode == 0o600, "\(name)")
        }
    }

    @Test("an existing database open to others is made private when Parley opens it")
    func tightened() async throws {
        #expect(try await parley(["ask", "--provider", "demo", "Who can read this?"]).status == 0)
        for (name, _) in try Self.modes(in: home) where name.hasPrefix("parley.sqlite") {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: home + "/" + name)
        }
        #expect(try await parley(["list"]).status == 0)
        for (name, mode) in try Self.modes(in: home) where name.hasPrefix("parley.sqlite") {
            #expect(mode == 0o600, "\(name)")
        }
    }

    @Test(
        "on a full disk (a small tmpfs, filled): ask answers with one true warning; what was saved is still listed and shown",
        .enabled(if: FullDisk.canMount, "this machine cannot mount a tmpfs in a namespace of its own"))
    func fullDisk() async throws {
        let reports = ParleyProcess.dataFolder()
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        let script = """
            parley="$1"
            mkdir -p "$PARLEY_HOME" && mount -t tmpfs -o size=1m,mode=0700 tmpfs "$PARLEY_HOME" || exit 99
            run() { name="$1"; shift; "$parley" "$@" >"$REPORTS/$name.out" 2>"$REPORTS/$name.err"; echo $? >"$REPORTS/$name.status"; }
            run first ask --provider demo "Why is the sky blue?"
            dd if=/dev/zero of="$PARLEY_HOME/filler" bs=4096 2>/dev/null
            run second ask --provider demo "And sunsets?"
            run list list
            id=$(cut -d' ' -f1 "$REPORTS/list.out" | head -n 1)
            run show show "$id"
            """
        let outcome = try await ParleyProcess.run(
            [], environment: ["PARLEY_HOME": home, "REPORTS": reports], launcher: FullDisk.launcher + [script, "sh"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        func report(_ name: String) throws -> (status: String, out: String, err: String) {
            let read = { (suffix: String) in try String(contentsOfFile: reports + "/\(name).\(suffix)", encoding: .utf8)
            }
            return (
                try read("status").trimmingCharacters(in: .whitespacesAndNewlines), try read("out"), try read("err")
            )
        }

        #expect(try report("first").status == "0")
        let second = try report("second")
        #expect(second.status == "0")
        #expect(second.out.contains("Parley's demo provider"))
        let warnings = second.err.split(separator: "\n").filter { $0.contains("warning") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("saved") == true)
        #expect(warnings.first?.contains("the disk is full") == true)
        let listed = try report("list")
        #expect(listed.status == "0")
        #expect(listed.out.split(separator: "\n").count == 1)
        #expect(listed.out.contains("2 msgs"))
        #expect(listed.out.contains("Why is the sky blue?"))
        #expect(!listed.out.contains("✗"))
        let shown = try report("show")
        #expect(shown.status == "0")
        #expect(shown.out.contains("Parley's demo provider"))
    }

    static func modes(in folder: String) throws -> [String: Int] {
        var modes: [String: Int] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + name)
            modes[name] = (attributes[.posixPermissions] as? NSNumber)?.intValue
        }
        return modes
    }
}

/// A real full disk: a tmpfs of 1 MiB mounted over the data folder inside a mount namespace of
/// the test's own (a user namespace too when the tests do not run as root), gone with it.
enum FullDisk {
    /// Runs a shell script (then its arguments, the binary's path first) in that namespace.
    static let launcher =
        ["/usr/bin/unshare"] + (getuid() == 0 ? [] : ["--user", "--map-root-user"]) + ["--mount", "/bin/sh", "-c"]

    static let canMount: Bool = {
        let folder = ScratchFolders.path("mount-probe")
        guard
            let pid = try? ChildProcess.spawn(
                launcher + ["mkdir -p \(folder) && mount -t tmpfs -o size=64k tmpfs \(folder)"])
        else { return false }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status == 0
    }()
}
