import Foundation
import ParleyCore
import ParleyTUI
import ParleyTools
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// The app's file work for attachments, off the UI thread: reading a file, completing a path,
/// telling whether pasted text names a file, the clipboard's image, and showing a file with the
/// system's viewer. Each answers with the event the app folds in.
struct AttachmentEffects: Sendable {
    var limits: AttachmentLimits
    var environment: [String: String]

    func read(_ path: String) -> AppEvent {
        do throws(AttachmentProblem) {
            return .attached(try AttachmentFile.read(path, limits: limits, home: environment["HOME"]))
        } catch {
            return .attachingFailed("Not attached: \(error.description).")
        }
    }

    /// The files and folders whose paths begin with `prefix`, spelled as the user began them
    /// (`~/` kept), folders ending with "/"; hidden ones only when the name begun starts with ".".
    func complete(_ prefix: String) -> AppEvent {
        let folderPart = prefix.hasSuffix("/") ? prefix : (prefix as NSString).deletingLastPathComponent
        let begun = prefix.hasSuffix("/") ? "" : (prefix as NSString).lastPathComponent
        let folder = AttachmentFile.expanded(folderPart.isEmpty ? "." : folderPart, home: environment["HOME"])
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let shownFolder = folderPart.isEmpty ? "" : folderPart.hasSuffix("/") ? folderPart : folderPart + "/"
        let paths = names.filter { $0.hasPrefix(begun) && (begun.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted()
            .prefix(200)
            .map { name in
                var isFolder: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder)
                return shownFolder + name + (isFolder.boolValue ? "/" : "")
            }
        return .pathsCompleted(prefix: prefix, paths: Array(paths))
    }

    /// `pastedFileFound` when `path` is a file (not a folder) that exists; nothing otherwise.
    func pastedPath(_ path: String, pasted: String) -> AppEvent? {
        var isFolder: ObjCBool = false
        let full = AttachmentFile.expanded(path, home: environment["HOME"])
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue else {
            return nil
        }
        return .pastedFileFound(path: path, pasted: pasted)
    }

    /// The clipboard's image as a PNG, through the clipboard command of the display in use.
    func clipboardImage() async -> AppEvent {
        let wayland = environment["WAYLAND_DISPLAY"].map { !$0.isEmpty } ?? false
        let x11 = environment["DISPLAY"].map { !$0.isEmpty } ?? false
        let candidates: [(command: String, arguments: [String])] =
            (wayland ? [("wl-paste", ["--no-newline", "--type", "image/png"])] : [])
            + (x11 ? [("xclip", ["-selection", "clipboard", "-t", "image/png", "-o"])] : [])
        guard
            let (path, arguments) = candidates.lazy.compactMap({ candidate -> (String, [String])? in
                guard case .executable(let path) = CommandPath.resolve(candidate.command, path: environment["PATH"])
                else { return nil }
                return (path, candidate.arguments)
            }).first
        else {
            return .attachingFailed(
                wayland || x11
                    ? "No clipboard command: Parley reads images with wl-paste (Wayland, wl-clipboard) or xclip (X11)."
                    : "No graphical clipboard here (no DISPLAY or WAYLAND_DISPLAY): attach the image's file instead.")
        }
        do {
            let result = try await Subprocess.run(
                .path(FilePath(path)), arguments: Arguments(arguments), input: .none,
                output: .bytes(limit: limits.fileBytes + 1), error: .discarded)
            guard result.terminationStatus.isSuccess, !result.standardOutput.isEmpty else {
                return .attachingFailed("The clipboard holds no image.")
            }
            return .attached(
                try Attachment.checked(name: "clipboard.png", bytes: result.standardOutput, limits: limits))
        } catch let problem as AttachmentProblem {
            return .attachingFailed("Not attached: \(problem.description).")
        } catch {
            return .attachingFailed("The clipboard could not be read: \(error).")
        }
    }

    /// Writes the file to a folder of Parley's in the temporary folder and hands it to the
    /// system's viewer (`xdg-open`; `open` on macOS), its output kept off the screen.
    func open(_ attachment: Attachment) async -> AppEvent? {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("parley-files")
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Only the name's last part, made harmless: a saved name must not reach outside the folder.
        let safeName = (attachment.name as NSString).lastPathComponent.replacingOccurrences(of: "..", with: "_")
        let file = (folder as NSString).appendingPathComponent(safeName.isEmpty ? "attachment" : safeName)
        guard FileManager.default.createFile(atPath: file, contents: Data(attachment.bytes)) else {
            return .attachingFailed("\(attachment.name) could not be written to \(folder) to be opened.")
        }
        let opener = ["xdg-open", "open"].lazy.compactMap { name -> String? in
            if case .executable(let path) = CommandPath.resolve(name, path: environment["PATH"]) { path } else { nil }
        }.first
        guard let opener else {
            return .attachingFailed("No viewer to open it with (xdg-open): it is saved as \(file).")
        }
        let result = try? await Subprocess.run(
            .path(FilePath(opener)), arguments: [file], input: .none, output: .discarded, error: .discarded)
        guard result?.terminationStatus.isSuccess == true else {
            return .attachingFailed("\((opener as NSString).lastPathComponent) could not open \(file).")
        }
        return nil
    }
}
