// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QPalette>

namespace sluice::studio {

enum class Theme { Light, Dark };

QPalette lightPalette();
QPalette darkPalette();
// Sets the Fusion style (once) and the theme's palette on the application.
void applyTheme(Theme theme);
Theme currentTheme();

} // namespace sluice::studio
