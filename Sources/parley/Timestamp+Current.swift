import Foundation
import ParleyCore

extension Timestamp {
    /// The wall clock now. Pure code is handed timestamps; the command line is where they are read.
    static var current: Timestamp {
        Timestamp(millisecondsSince1970: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
    }
}
