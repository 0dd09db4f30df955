// SPDX-License-Identifier: Apache-2.0
// The messages of the load generator, built so that an echo can be checked cheaply and fully.
//
//   "CCCCCCCC SSSSSSSSSSSS KKKKKKKKKKKKKKKK " then filler, to the requested size
//    connection  sequence   checksum           (lower-case hex, ASCII: valid UTF-8 in text frames)
//
// The filler is a window into a fixed pattern (printable letters for text, every byte value for
// binary), starting at an offset that moves with the sequence number, so a proxy that shifts,
// truncates or reuses a buffer shows. The checksum covers the connection, the sequence, the size
// and the filler's own hash (pre-computed per offset): a received message is checked by parsing
// the header, recomputing the checksum and comparing the filler with memcmp, which stays far
// cheaper than the proxy's work even at 16 KiB.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice_bench {

class CheckedPayload {
public:
    static constexpr std::size_t kHeaderSize = 8 + 1 + 12 + 1 + 16 + 1;
    static constexpr std::size_t kOffsets = 251; // prime: offsets do not line up with sizes

    struct Header {
        std::uint32_t connection = 0;
        std::uint64_t sequence = 0;
    };

    CheckedPayload(std::size_t size, bool binary)
        : m_size(size < kHeaderSize ? kHeaderSize : size)
        , m_fillerSize(m_size - kHeaderSize)
        , m_pattern(m_fillerSize + kOffsets)
    {
        std::uint64_t state = 0x9e3779b97f4a7c15ULL;
        for (char &c : m_pattern) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            c = binary ? static_cast<char>(state & 0xff) : static_cast<char>('a' + state % 26);
        }
        for (std::size_t offset = 0; offset < kOffsets; ++offset)
            m_fillerHashes[offset] = hashBytes(m_pattern.data() + offset, m_fillerSize);
    }

    std::size_t size() const { return m_size; }

    // Writes the message for (connection, sequence) into `out` (resized to size()).
    void build(std::uint32_t connection, std::uint64_t sequence, std::string &out) const
    {
        out.resize(m_size);
        char *p = out.data();
        writeHex(p, connection, 8);
        p[8] = ' ';
        writeHex(p + 9, sequence, 12);
        p[21] = ' ';
        writeHex(p + 22, checksum(connection, sequence), 16);
        p[38] = ' ';
        std::memcpy(p + kHeaderSize, m_pattern.data() + sequence % kOffsets, m_fillerSize);
    }

    // The header of a received message, or nothing with `why` set when it is not one of ours
    // intact (wrong size, bad header, checksum or filler).
    std::optional<Header> check(std::string_view message, std::string &why) const
    {
        if (message.size() != m_size) {
            why = "size " + std::to_string(message.size()) + ", expected " + std::to_string(m_size);
            return std::nullopt;
        }
        Header header;
        std::uint64_t connection = 0;
        std::uint64_t sum = 0;
        const char *p = message.data();
        if (!readHex(p, 8, connection) || p[8] != ' ' || !readHex(p + 9, 12, header.sequence) ||
            p[21] != ' ' || !readHex(p + 22, 16, sum) || p[38] != ' ') {
            why = "malformed header";
            return std::nullopt;
        }
        header.connection = static_cast<std::uint32_t>(connection);
        if (sum != checksum(header.connection, header.sequence)) {
            why = "checksum mismatch";
            return std::nullopt;
        }
        if (std::memcmp(p + kHeaderSize, m_pattern.data() + header.sequence % kOffsets,
                        m_fillerSize) != 0) {
            why = "payload bytes corrupted";
            return std::nullopt;
        }
        return header;
    }

private:
    // FNV-1a, 64 bits: used once per filler offset at start-up and on a few header words.
    static std::uint64_t hashBytes(const char *data, std::size_t size,
                                   std::uint64_t hash = 0xcbf29ce484222325ULL)
    {
        for (std::size_t i = 0; i < size; ++i) {
            hash ^= static_cast<unsigned char>(data[i]);
            hash *= 0x100000001b3ULL;
        }
        return hash;
    }

    std::uint64_t checksum(std::uint32_t connection, std::uint64_t sequence) const
    {
        const std::uint64_t words[3] = {connection, sequence, m_size};
        return hashBytes(reinterpret_cast<const char *>(words), sizeof words,
                         m_fillerHashes[sequence % kOffsets]);
    }

    static void writeHex(char *out, std::uint64_t value, int digits)
    {
        static constexpr char kDigits[] = "0123456789abcdef";
        for (int i = digits - 1; i >= 0; --i) {
            out[i] = kDigits[value & 0xf];
            value >>= 4;
        }
    }

    static bool readHex(const char *in, int digits, std::uint64_t &value)
    {
        value = 0;
        for (int i = 0; i < digits; ++i) {
            const char c = in[i];
            int nibble;
            if (c >= '0' && c <= '9')
                nibble = c - '0';
            else if (c >= 'a' && c <= 'f')
                nibble = c - 'a' + 10;
            else
                return false;
            value = (value << 4) | static_cast<std::uint64_t>(nibble);
        }
        return true;
    }

    std::size_t m_size;
    std::size_t m_fillerSize;
    std::vector<char> m_pattern;
    std::array<std::uint64_t, kOffsets> m_fillerHashes{};
};

} // namespace sluice_bench
