import Foundation
import Synchronization

/// Where tests put the folders and files nothing else needs: under one folder of this test
/// process's own, removed when the process exits.
///
/// Not removed sooner, because what a test starts may outlive its function: a `parley` child still
/// writing its log, a tmux server reading its home. Removed at all, because a run of the suite makes
/// a few hundred data folders, databases among them, and a developer's `/tmp` should not fill up.
public enum ScratchFolders {
    /// The process's folder, made on first use; its removal is registered then too.
    private static let root: String = {
        let root = NSTemporaryDirectory() + "parley-tests-\(getpid())"
        // One there already was left by a process that had this number and did not exit (killed).
        remove(root)
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        atexit { remove(ScratchFolders.root) }
        return root
    }()

    private static func remove(_ root: String) {
        // Tests make folders unreadable or unwritable to see what Parley says of them.
        if let paths = FileManager.default.enumerator(atPath: root) {
            for case let path as String in paths {
                chmod(root + "/" + path, 0o700)
            }
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    private static let made = Atomic(0)

    /// A path no other test uses, `name` and a number; nothing is made there. Short, as the
    /// user's own paths are: some stories read them back on a screen's width.
    public static func path(_ name: String) -> String {
        root + "/" + name + "-" + String(made.add(1, ordering: .relaxed).newValue)
    }

    /// A new empty folder no other test uses, `name` and a number.
    public static func folder(_ name: String) throws -> URL {
        let folder = URL(fileURLWithPath: path(name))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
