import Foundation
import ParleyCore
import ParleyTUI
import ParleyTestSupport
import Testing

@testable import parley

/// The file work behind the app's attachments, on real files: completion as the prompt shows it,
/// pasted paths that are files, and no graphical clipboard said plainly.
@Suite("The app's file work for attachments")
struct AttachmentEffectsTests {
    @Test("completion lists what begins with the name typed, folders with a slash, hidden files only when asked")
    func completion() throws {
        let folder = try AskAttachmentsTests.folder()
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("nested"), withIntermediateDirectories: true)
        try Data().write(to: folder.appendingPathComponent(".hidden"))
        let effects = AttachmentEffects(limits: .standard, environment: ["HOME": folder.path])

        #expect(
            effects.complete(folder.path + "/n")
                == .pathsCompleted(
                    prefix: folder.path + "/n", paths: [folder.path + "/nested/", folder.path + "/notes.md"]))
        #expect(
            effects.complete("~/s") == .pathsCompleted(prefix: "~/s", paths: ["~/shot.txt"]), "the user's spelling kept"
        )
        #expect(effects.complete("~/.h") == .pathsCompleted(prefix: "~/.h", paths: ["~/.hidden"]))
        guard case .pathsCompleted(_, let all) = effects.complete(folder.path + "/") else {
            Issue.record("no listing")
            return
        }
        #expect(!all.contains { $0.hasSuffix(".hidden") })
        #expect(effects.complete("/no/such/folder/x") == .pathsCompleted(prefix: "/no/such/folder/x", paths: []))
    }

    @Test("a pasted path is offered only when it is a file; reading one gives the attachment or the reason")
    func pastedAndRead() throws {
        let folder = try AskAttachmentsTests.folder()
        let effects = AttachmentEffects(limits: .standard, environment: [:])
        let notes = folder.path + "/notes.md"
        #expect(effects.pastedPath(notes, pasted: notes) == .pastedFileFound(path: notes, pasted: notes))
        #expect(effects.pastedPath(folder.path, pasted: folder.path) == nil)
        #expect(effects.pastedPath(notes + "x", pasted: notes + "x") == nil)
        guard case .attached(let file) = effects.read(notes) else {
            Issue.record("not read")
            return
        }
        #expect(file.name == "notes.md" && file.kind == .text)
        #expect(
            effects.read(folder.path + "/a.out")
                == .attachingFailed("Not attached: \(AttachmentProblem.binary("a.out"))."))
    }

    @Test("with X11's clipboard command on the PATH, its PNG is attached; an empty clipboard is said")
    func clipboardThroughXclip() async throws {
        let folder = try AskAttachmentsTests.folder()
        let script = folder.appendingPathComponent("xclip")
        // A stand-in for xclip: prints the PNG it was asked for, or nothing when CLIPBOARD_EMPTY is set.
        try Executable.write(
            "#!/bin/sh\n[ \"$*\" = \"-selection clipboard -t image/png -o\" ] || exit 2\ncat \"$(dirname \"$0\")/shot.txt\"\n",
            to: script.path)
        let effects = AttachmentEffects(
            limits: .standard, environment: ["PATH": folder.path + ":/usr/bin:/bin", "DISPLAY": ":0"])
        let pasted = await effects.clipboardImage()
        guard case .attached(let image) = pasted else {
            Issue.record("no image from the clipboard: \(pasted)")
            return
        }
        #expect(image.name == "clipboard.png")
        #expect(image.kind == .image(.png))
        #expect(image.bytes == AskAttachmentsTests.pngBytes)

        try FileManager.default.removeItem(at: folder.appendingPathComponent("shot.txt"))
        #expect(await effects.clipboardImage() == .attachingFailed("The clipboard holds no image."))
    }

    @Test("with no display, the clipboard key says there is no graphical clipboard")
    func noClipboard() async {
        let effects = AttachmentEffects(limits: .standard, environment: ["PATH": "/usr/bin:/bin"])
        #expect(
            await effects.clipboardImage()
                == .attachingFailed(
                    "No graphical clipboard here (no DISPLAY or WAYLAND_DISPLAY): attach the image's file instead."))
    }
}
