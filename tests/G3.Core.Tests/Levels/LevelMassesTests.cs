using G3.Core.Levels;

namespace G3.Core.Tests.Levels;

public class LevelMassesTests
{
    private static readonly PlaceUnit France = new("FR", "France");
    private static readonly PlaceUnit Germany = new("DE", "Germany");
    private static readonly PlaceUnit IleDeFrance = new("FR/Île-de-France", "Île-de-France");
    private static readonly PlaceUnit Rhone = new("FR/Auvergne-Rhône-Alpes", "Auvergne-Rhône-Alpes");
    private static readonly PlaceUnit Berlin = new("DE/Berlin", "Berlin");
    private static readonly PlaceUnit Paris = new("geonames:2988507", "Paris");
    private static readonly PlaceUnit Lyon = new("geonames:2996944", "Lyon");
    private static readonly PlaceUnit BerlinCity = new("geonames:2950159", "Berlin");

    private static PointUnits InParis => new(France, IleDeFrance, Paris);
    private static PointUnits InLyon => new(France, Rhone, Lyon);
    private static PointUnits InBerlin => new(Germany, Berlin, BerlinCity);
    private static PointUnits AtSea => new(null, null, null);

    private static void AssertSumsToOne(LevelAnswer a) =>
        Assert.Equal(1.0, a.Units.Sum(u => u.Mass) + a.UnplacedMass, 12);

    [Fact]
    public void Candidates_in_two_countries_give_each_country_its_summed_mass()
    {
        var levels = LevelMasses.Compute([InBerlin, InParis, InLyon], [0.3, 0.5, 0.2], 0.4);

        Assert.Equal(France, levels.Country.Unit);
        Assert.Equal(0.7, levels.Country.Confidence, 12);
        Assert.Equal([("FR", 0.7), ("DE", 0.3)], levels.Country.Units.Select(u => (u.Unit.Key, Math.Round(u.Mass, 12))));
        Assert.Equal(IleDeFrance, levels.Region.Unit);
        Assert.Equal(0.5, levels.Region.Confidence, 12);
        Assert.Equal(Paris, levels.City.Unit);
        Assert.Equal(0.5, levels.City.Confidence, 12);
        Assert.All(levels.All, a => Assert.False(a.Uncertain));
        Assert.All(levels.All, AssertSumsToOne);
        Assert.All(levels.All, a => Assert.Equal(0, a.UnplacedMass, 12));
    }

    [Fact]
    public void The_region_is_chosen_inside_the_answered_country_even_when_another_country_has_a_heavier_region()
    {
        // France holds 0.6 split over two regions; Germany's single region holds 0.4 on its own.
        var levels = LevelMasses.Compute([InBerlin, InParis, InLyon], [0.4, 0.3, 0.3], 0.2);

        Assert.Equal(France, levels.Country.Unit);
        Assert.Equal(IleDeFrance, levels.Region.Unit); // tie with Lyon's region: the better-ranked candidate's wins
        Assert.Equal(0.3, levels.Region.Confidence, 12);
        Assert.Equal(Berlin, levels.Region.Units[0].Unit); // the list still shows every region, heaviest first
        Assert.Equal(Paris, levels.City.Unit);
    }

    [Fact]
    public void Mass_over_open_water_answers_open_water_and_no_region_or_city()
    {
        var levels = LevelMasses.Compute([InParis, AtSea, AtSea], [0.4, 0.35, 0.25], 0.4);

        Assert.Null(levels.Country.Unit);
        Assert.Equal(0.6, levels.Country.Confidence, 12);
        Assert.Equal(0.6, levels.Country.UnplacedMass, 12);
        Assert.Equal(France, Assert.Single(levels.Country.Units).Unit);
        Assert.Null(levels.Region.Unit);
        Assert.Null(levels.City.Unit);
        Assert.Equal(0.6, levels.City.Confidence, 12);
        Assert.All(levels.All, AssertSumsToOne);
    }

    [Fact]
    public void A_country_answer_whose_candidates_are_far_from_towns_answers_no_city()
    {
        var countryside = new PointUnits(France, Rhone, null);
        var levels = LevelMasses.Compute([InLyon, countryside, countryside], [0.3, 0.4, 0.3], 0.4);

        Assert.Equal(France, levels.Country.Unit);
        Assert.Equal(1.0, levels.Country.Confidence, 12);
        Assert.Equal(Rhone, levels.Region.Unit);
        Assert.Null(levels.City.Unit);
        Assert.Equal(0.7, levels.City.Confidence, 12);
        Assert.Equal(0.7, levels.City.UnplacedMass, 12);
        Assert.Equal(Lyon, Assert.Single(levels.City.Units).Unit);
    }

    [Fact]
    public void A_level_is_uncertain_only_when_its_mass_is_below_the_threshold()
    {
        var levels = LevelMasses.Compute([InParis, InLyon, InBerlin], [0.5, 0.25, 0.25], 0.5);

        Assert.False(levels.Country.Uncertain); // France 0.75
        Assert.False(levels.Region.Uncertain);  // Île-de-France 0.5: at the threshold is not below it
        Assert.Equal(0.5, levels.UncertainBelow);

        var lower = LevelMasses.Compute([InParis, InLyon, InBerlin], [0.375, 0.375, 0.25], 0.5);
        Assert.True(lower.Region.Uncertain);   // Île-de-France 0.375
        Assert.True(lower.City.Uncertain);
        Assert.False(lower.Country.Uncertain); // France still 0.75
    }

    [Fact]
    public void Probabilities_are_normalised_and_bad_input_is_refused()
    {
        var levels = LevelMasses.Compute([InParis, InBerlin], [3, 1], 0.4);
        Assert.Equal(0.75, levels.Country.Confidence, 12);

        Assert.Throws<ArgumentException>(() => LevelMasses.Compute([InParis], [0.5, 0.5], 0.4));
        Assert.Throws<ArgumentException>(() => LevelMasses.Compute([], [], 0.4));
        Assert.Throws<ArgumentException>(() => LevelMasses.Compute([InParis, InLyon], [1, -0.1], 0.4));
        Assert.Throws<ArgumentException>(() => LevelMasses.Compute([InParis], [double.NaN], 0.4));
        Assert.Throws<ArgumentException>(() => LevelMasses.Compute([InParis], [0], 0.4));
        Assert.Throws<ArgumentOutOfRangeException>(() => LevelMasses.Compute([InParis], [1], 1.5));
    }

    [Fact]
    public void A_calibration_maps_each_answers_confidence_and_decides_uncertain_but_not_the_answer_or_the_unit_masses()
    {
        // Country masses are trusted less (0.7 -> 0.56), cities more (0.5 -> 0.9): the answers stay, their confidences change,
        // and a finer answer never claims more than the one it lies in.
        double Calibrate(PlaceLevel level, double mass) => level switch
        {
            PlaceLevel.Country => mass * 0.8,
            PlaceLevel.Region => mass * 0.7,
            _ => Math.Min(1, mass + 0.4),
        };
        var raw = LevelMasses.Compute([InBerlin, InParis, InLyon], [0.3, 0.5, 0.2], 0.4);
        var levels = LevelMasses.Compute([InBerlin, InParis, InLyon], [0.3, 0.5, 0.2], 0.4, Calibrate);

        Assert.False(raw.Calibrated);
        Assert.True(levels.Calibrated);
        Assert.Equal((France, IleDeFrance, Paris), (levels.Country.Unit!, levels.Region.Unit!, levels.City.Unit!));
        Assert.Equal(0.56, levels.Country.Confidence, 12);
        Assert.False(levels.Country.Uncertain);
        Assert.Equal(0.35, levels.Region.Confidence, 12);
        Assert.True(levels.Region.Uncertain);
        // The city's own map says 0.9, but the region it lies in is only 0.35 likely.
        Assert.Equal(0.35, levels.City.Confidence, 12);
        Assert.True(levels.City.Uncertain);
        Assert.Equal(raw.Country.Units, levels.Country.Units);
        Assert.All(levels.All, AssertSumsToOne);
    }

    [Fact]
    public void A_calibration_that_strays_outside_0_to_1_is_clamped()
    {
        var levels = LevelMasses.Compute([InParis], [1.0], 0.4, (_, m) => m + 0.5);
        Assert.All(levels.All, a => Assert.Equal(1.0, a.Confidence, 12));
    }
}
